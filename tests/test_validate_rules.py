"""Each rule on a small order made for it, and the seeds' real defects."""

import datetime as dt
import re

import pytest

from pipeline.extract import extract_order
from pipeline.normalize import normalize
from pipeline.validate import all_rules, validate
from pipeline.validate.registry import Selection
from schemas import (
    Abbreviation,
    Appendix,
    Clause,
    ContentBlock,
    Deadline,
    DocumentMeta,
    Item,
    Order,
    OrderReference,
    Party,
    Roadmap,
    Section,
    SourceFile,
)
from tests.conftest import CORPUS

D = dt.date


def order(items=(), clauses=(), appendices=(), abbreviations=(), title="на 2020 – 2021 учебный год", **document):
    meta = {"kind": "приказ", "number": "718-ОД", "date": D(2020, 10, 6), "title": f"Об организации {title}", **document}
    roadmap = Roadmap(title=f"План {title}", appendix=1, columns=[], items=list(items))
    return normalize(
        Order(
            source=SourceFile(path="x.txt", format="text"),
            document=DocumentMeta(**meta),
            clauses=list(clauses),
            appendices=list(appendices) or [Appendix(index=1, number="1", content=[ContentBlock(type="table", roadmap=0)])],
            abbreviations=list(abbreviations),
            roadmaps=[roadmap],
        )
    )


def item(number="1.", activity="Совещание", deadline="октябрь", parties=("ОО",), section=None):
    return Item(
        number=number,
        activity=activity,
        section=section,
        deadline=Deadline(text=deadline) if deadline is not None else None,
        responsibles=[Party(text=p) for p in parties],
    )


def codes(o: Order, select: str) -> list[str]:
    return [f.code for f in validate(o, "x.txt", Selection(select=[select]))]


CLAUSES = [Clause(number="1.", text="Утвердить план (Приложение № 1).")]


@pytest.mark.parametrize(
    "code,bad,good",
    [
        ("D001", [item(deadline="после согласования бюджета")], [item(deadline="октябрь")]),
        ("D002", [item(deadline="декабрь 2021 г.")], [item(deadline="декабрь 2020 г.")]),
        ("D003", [item(deadline="октябрь 2021 г. – май 2020 г.")], [item(deadline="октябрь 2020 г. – май 2021 г.")]),
        ("D004", [item(deadline="сентябрь 2020 г.")], [item(deadline="ноябрь 2020 г.")]),
        ("D005", [item(deadline="Ноябрь 2020 года; сентябрь 2020 года")], [item(deadline="Сентябрь 2020 года; ноябрь 2020 года")]),
        ("D006", [item(deadline=None)], [item()]),
        ("P001", [item(parties=())], [item()]),
        ("P002", [item(parties=("ОМО",))], [item(parties=("ОО",))]),
        ("P003", [item(activity="Работа со ШНРО")], [item(activity="Работа со ШНОР")]),
        ("N001", [item("1."), item("3.")], [item("1."), item("2.")]),
        ("N002", [item("1."), item("2."), item("2.")], [item("1."), item("2."), item("3.")]),
        ("N003", [item("1."), item("3."), item("2.")], [item("1."), item("2."), item("3.")]),
        ("N004", [item("2.1.", section="1. Организация")], [item("1.1.", section="1. Организация")]),
        ("C001", [item(activity="")], [item()]),
        ("C002", [item("1."), item("2.")], [item("1."), item("2.", activity="Семинар")]),
    ],
)
def test_rule_fires_on_bad_and_not_on_good(code, bad, good):
    abbreviations = [Abbreviation(short="ШНОР", full="школы с низкими образовательными результатами")]
    sections = {i.section for i in bad + good if i.section}
    bad_order = order(bad, CLAUSES, abbreviations=abbreviations)
    good_order = order(good, CLAUSES, abbreviations=abbreviations)
    for o in (bad_order, good_order):
        o.roadmaps[0].sections = [Section(number=s.split(" ")[0], title=s.split(" ", 1)[1]) for s in sections]
    assert code in codes(bad_order, code)
    assert code not in codes(good_order, code)


def test_p004_abbreviation_defined_twice():
    twice = [Abbreviation(short="Мониторинг", full="Мониторинг развития"), Abbreviation(short="Мониторинг", full="Мониторинг системы работы")]
    same = [Abbreviation(short="МОЦ", full="муниципального образовательного центра"), Abbreviation(short="МОЦ", full="Муниципальный образовательный центр")]
    assert codes(order([item()], CLAUSES, abbreviations=twice), "P004") == ["P004"]
    assert codes(order([item()], CLAUSES, abbreviations=same), "P004") == []


def test_p005_inferred_abbreviation_is_info():
    o = order([item(parties=("ДОО ТО",))], CLAUSES, authority="ДЕПАРТАМЕНТ ОБЩЕГО ОБРАЗОВАНИЯ ТОМСКОЙ ОБЛАСТИ")
    [finding] = validate(o, "x.txt", Selection(select=["P005"]))
    assert finding.severity == "info" and "Департамент общего образования Томской области" in finding.message


def appendix_citing(**reference):
    return [Appendix(index=1, number="1", cites=OrderReference(kind="приказ", **reference), content=[ContentBlock(type="table", roadmap=0)])]


@pytest.mark.parametrize(
    "code,bad,good",
    [
        ("R001", {"date": D(2020, 10, 6), "number": "418-ОД"}, {"date": D(2020, 10, 6), "number": "718-ОД"}),
        ("R002", {"date": D(2020, 5, 17), "number": "718-ОД"}, {"date": D(2020, 10, 6), "number": "718-ОД"}),
        ("R003", {"blank": True}, {"date": D(2020, 10, 6), "number": "718-ОД"}),
        ("R006", {"date": D(2019, 2, 1), "number": "15-р"}, {"date": D(2020, 10, 6), "number": "718-ОД"}),
    ],
)
def test_reference_rules(code, bad, good):
    assert codes(order([item()], CLAUSES, appendix_citing(**bad)), code) == [code]
    assert codes(order([item()], CLAUSES, appendix_citing(**good)), code) == []


def test_appendix_mentioned_but_missing_and_present_but_not_mentioned():
    two = [Clause(number="1.", text="Утвердить списки (Приложение № 1)."), Clause(number="2.", text="Утвердить план (Приложение № 2).")]
    assert codes(order([item()], two), "R004") == ["R004"]  # only appendix 1 exists
    unmentioned = [Clause(number="1.", text="Контроль оставляю за собой.")]
    assert codes(order([item()], unmentioned), "R005") == ["R005"]
    assert codes(order([item()], CLAUSES), "R004") == codes(order([item()], CLAUSES), "R005") == []


def test_clause_numbering():
    clauses = [Clause(number=n, level=len(n.rstrip(".").split(".")), text="x") for n in ["1.", "2.", "2.1.", "2.2.", "2.2.", "4."]]
    assert sorted(codes(order([item()], clauses), "N")) == ["N001", "N002"]


def test_restarting_numbering_per_section_is_fine():
    items = [item("1", section="2020 год"), item("2", section="2020 год", activity="Б"), item("1", section="2021 год"), item("2", section="2021 год", activity="Б")]
    assert codes(order(items, CLAUSES, title="на 2020 - 2022 годы"), "N") == []


def test_table_rules():
    o = order([item()], CLAUSES)
    o.appendices[0].content.append(ContentBlock(type="table", rows=[["№", "Что", "Когда"], ["1", "а", "б"], ["2", "в", "г"]]))
    assert codes(o, "C003") == ["C003"]
    o.roadmaps = []
    assert codes(o, "C004") == ["C004"]


def test_every_rule_is_documented_with_examples():
    for rule in all_rules():
        assert rule.code[0] in "DPNRCO" and rule.name and rule.summary
        lines = rule.doc.splitlines()
        assert any(line.startswith("Плохо:  ") for line in lines), rule.code
        assert any(line.startswith("Хорошо: ") for line in lines), rule.code


# Latin words a Russian reader may meet in a rule's summary or documentation.
# Empty on purpose: rule codes (D001) are stripped before the check, and the
# texts name no formats or programs («программа распознавания текста», not
# OCR or Tesseract).  Add a word here only when Russian has no usual name for
# it (a file format such as PDF or DOCX), never for an English heading.
LATIN_ALLOWED: set[str] = set()
_RULE_CODE = re.compile(r"\b[DPNRCO]\d{3}\b")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def test_rule_docs_are_russian():
    """What `roadmap rules` prints is Russian: no Latin words but rule codes.
    Single Latin letters count too — a Latin «C» or «O» inside a Cyrillic
    word looks the same and breaks search."""
    leftovers = {}
    for rule in all_rules():
        for field, text in (("summary", rule.summary), ("doc", rule.doc)):
            words = set(_LATIN_WORD.findall(_RULE_CODE.sub("", text))) - LATIN_ALLOWED
            if words:
                leftovers[f"{rule.code} {field}"] = sorted(words)
    assert leftovers == {}


SEED_DEFECTS = {
    "smolensk-prikaz-718-od": {("R001", "418-ОД"), ("N002", "4.2"), ("R004", "№ 1"), ("P002", "ОМО")},
    "smolensk-prikaz-422-od": {("R002", "«17» 05 2021"), ("P003", "ШНРО"), ("P004", "Мониторинг")},
    "mordovia-bbereznikovsky-prikaz-59-b": {("R003", "не заполнены"), ("D004", "май 2020 года")},
    "tomsk-rasporyazhenie-293-r": {("P003", "ДОО ГО"), ("P003", "Рособнадзора"), ("P003", "ВПр"), ("P005", "ДОО ТО")},
}


@pytest.mark.parametrize("stem", sorted(SEED_DEFECTS))
def test_seed_defects_are_reported(stem):
    path = CORPUS / "documents" / f"{stem}.txt"
    findings = validate(extract_order(path), str(path))
    for code, fragment in SEED_DEFECTS[stem]:
        assert any(f.code == code and fragment in f.message for f in findings), (code, fragment)


def test_corrected_document_has_no_errors_or_warnings():
    path = CORPUS / "documents" / "tomsk-rasporyazhenie-293-r-corrected.txt"
    findings = validate(extract_order(path), str(path))
    assert [f.code for f in findings if f.severity != "info"] == []


def test_ocr_rules():
    o = order([item()], CLAUSES)
    assert codes(o, "O") == []  # not a scan
    o.source.ocr = True
    o.roadmaps[0].items[0].confidence = {"deadline": 55.0, "activity": 93.0}
    o.document.number = None
    assert sorted(codes(o, "O")) == ["O001", "O002"]
