"""Parties resolved through the document's abbreviations, the gazetteer and
initials; names in the nominative; one key for every form of a name."""

import pytest

from pipeline.lang.inflect import inflect_phrase, phrase_key, sentence_case, to_nominative
from pipeline.normalize.parties import PartyDirectory, normalize_party, party_kind
from schemas import Abbreviation, Clause, DocumentMeta, Order, Party, SourceFile


@pytest.mark.parametrize(
    "phrase,nominative",
    [
        ("муниципального образовательного центра", "муниципальный образовательный центр"),
        ("органов местного самоуправления, осуществляющих управление в сфере образования", "органы местного самоуправления, осуществляющие управление в сфере образования"),
        ("Государственному автономному учреждению дополнительного профессионального образования", "Государственное автономное учреждение дополнительного профессионального образования"),
        ("Федеральной службы по надзору в сфере образования и науки", "Федеральная служба по надзору в сфере образования и науки"),
        ("образовательные организации", "образовательные организации"),
        ("директора", "директора"),
    ],
)
def test_nominative(phrase, nominative):
    assert to_nominative(phrase) == nominative


def test_genitive_and_keys():
    assert inflect_phrase("образовательные организации", "gent") == "образовательных организаций"
    assert phrase_key("Муниципальный образовательный центр") == phrase_key("муниципального образовательного центра")
    assert sentence_case("ДЕПАРТАМЕНТ ОБЩЕГО ОБРАЗОВАНИЯ ТОМСКОЙ ОБЛАСТИ") == "Департамент общего образования Томской области"


def order() -> Order:
    return Order(
        source=SourceFile(path="x", format="text"),
        document=DocumentMeta(kind="распоряжение", authority="ДЕПАРТАМЕНТ ОБЩЕГО ОБРАЗОВАНИЯ ТОМСКОЙ ОБЛАСТИ"),
        clauses=[Clause(number="3.", text="Государственному учреждению «Смоленский областной институт развития образования» обеспечить")],
        abbreviations=[
            Abbreviation(short="МОЦ", full="муниципального образовательного центра"),
            Abbreviation(short="Совет", full="Координационного совета по качеству образования", kind="short_name"),
        ],
    )


def resolve(text):
    return normalize_party(Party(text=text), PartyDirectory.of(order()))


@pytest.mark.parametrize(
    "text,name,abbreviation,basis,kind",
    [
        ("МОЦ", "Муниципальный образовательный центр", "МОЦ", "document", "organisation"),
        ("Совет", "Координационный совет по качеству образования", "Совет", "document", "group"),
        ("ОО", "Образовательные организации", "ОО", "gazetteer", "organisation"),
        ("ДОО ТО", "Департамент общего образования Томской области", "ДОО ТО", "inferred", "organisation"),
        ("СОИРО", "Смоленский областной институт развития образования", "СОИРО", "inferred", "organisation"),
        ("ДОО ГО", None, "ДОО ГО", "unresolved", None),
        ("Региональный координатор", "Региональный координатор", None, "text", "role"),
        ("Муниципальный образовательный центр", "Муниципальный образовательный центр", "МОЦ", "text", "organisation"),
        ("Администрация ОО", "Администрация образовательных организаций", None, "gazetteer", "body"),
        ("ОО района", "Образовательные организации района", "ОО", "gazetteer", "organisation"),
        ("Кольцова О.С.", "Кольцова О.С.", None, "text", "person"),
        ("Региональная рабочая группа", "Региональная рабочая группа", None, "text", "group"),
    ],
)
def test_resolution(text, name, abbreviation, basis, kind):
    party = resolve(text)
    assert (party.name, party.abbreviation, party.basis, party.kind) == (name, abbreviation, basis, kind)


def test_forms_of_one_party_share_a_key():
    keys = {resolve(t).key for t in ("МОЦ", "Муниципальный образовательный центр", "муниципального образовательного центра")}
    assert len(keys) == 1


def test_note_and_definition_are_taken_apart():
    party = resolve("Муниципальные органы управления образованием (утверждение)")
    assert (party.name, party.note) == ("Муниципальные органы управления образованием", "утверждение")
    party = resolve("Муниципальный образовательный центр (далее –МОЦ)")
    assert (party.name, party.abbreviation, party.note) == ("Муниципальный образовательный центр", "МОЦ", None)


def test_kind_from_head_noun():
    assert party_kind("Муниципальные методические службы") == "organisation"
    assert party_kind("кабинет «Консультант-прогноз»") == "body"
    assert party_kind("Е.П. Талкина") == "person"
