"""P — responsible parties and abbreviations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from pipeline.lang.data import load
from pipeline.lang.inflect import phrase_key, to_nominative
from pipeline.lang.names import is_initialism
from pipeline.validate.registry import Hit, rule
from pipeline.validate.rules._where import clause_at, item_at, label
from schemas import Order

# Runs of abbreviations outside quotes: «ДОО ТО», «ГАУ ДПО СОИРО», «ДОКиС НАО».
# Not a part of a document number («№ 189-ОД») or of a quoted name («НРЦРО»).
_TOKEN = re.compile(r"(?<![\w«/-])[А-ЯЁ][А-ЯЁа-яё]*[А-ЯЁ][А-ЯЁа-яё]*(?![\w»/-])")
_RUN = re.compile(rf"{_TOKEN.pattern}(?: {_TOKEN.pattern})*")
_CAPITALISED = re.compile(r"(?<![\w«])[А-ЯЁ][а-яё]{6,}(?![\w»])")
_ENDINGS = ("ами", "ями", "ом", "ем", "ой", "ей", "ах", "ях", "а", "я", "у", "ю", "е", "ы", "и")
MIN_FUZZY_WORD = 7


def _quoted_spans(text: str) -> list[range]:
    return [range(m.start(), m.end()) for m in re.finditer(r"«[^«»]*»", text)]


def _stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_FUZZY_WORD - 1:
            return word[: -len(ending)]
    return word


def _limit(candidate: str, text: str) -> int:
    """Edits allowed between a used form and the one probably meant: for short
    abbreviations a changed or swapped letter only («ШНРО» for «ШНОР»; «ОМО» is
    not «ОО»), for long ones one edit, two from eight letters on."""
    letters = len(candidate.replace(" ", ""))
    if letters <= 4:
        return 1 if len(candidate) == len(text) else 0
    return 1 if letters < 8 else 2


@dataclass(slots=True)
class Knowledge:
    """The abbreviations a document defines or can resolve."""

    defined: dict[str, str]  # short → full
    known: set[str]  # defined, gazetteer, resolved through the document or the gazetteer
    own: set[str]  # the document's own: defined, or used by its parties
    inferred: dict[str, str]  # short → inferred name
    short_names: set[str]  # «Рособрнадзор», «Департамент»

    @classmethod
    def of(cls, order: Order) -> "Knowledge":
        defined = {a.short: a.full for a in order.abbreviations}
        gazetteer = set(load("gazetteer")["abbreviations"])
        inferred: dict[str, str] = {}
        resolved: set[str] = set()
        for roadmap in order.roadmaps:
            for item in roadmap.items:
                for party in item.responsibles:
                    if party.abbreviation and party.basis in {"document", "gazetteer"}:
                        resolved.add(party.abbreviation)
                    if party.abbreviation and party.basis == "inferred":
                        inferred.setdefault(party.abbreviation, party.name or "")
        short_names = {a.short for a in order.abbreviations if not is_initialism(a.short) and " " not in a.short}
        short_names |= {g for g in gazetteer if not is_initialism(g) and " " not in g}
        own = set(defined) | resolved | set(inferred)
        return cls(defined, set(defined) | gazetteer | resolved, own, inferred, short_names)

    def closest(self, text: str) -> str | None:
        """A likely intended abbreviation: one of the document's own within the
        edit distance, or any known one differing only in letter case («ВПр»)."""
        best, best_distance = None, None
        for candidate in self.own | self.known:
            if candidate == text:
                continue
            if candidate.upper() == text.upper():
                distance = 0
            elif candidate in self.own:
                distance = OSA.distance(candidate, text)
            else:
                continue
            if distance <= _limit(candidate, text) and (best_distance is None or distance < best_distance):
                best, best_distance = candidate, distance
        return best


@dataclass(frozen=True, slots=True)
class Usage:
    text: str
    where: dict
    what: str  # «пункт 9.» / «п. 3.1 распоряжения»


def _texts(order: Order) -> Iterator[tuple[str, dict, str]]:
    for clause in order.clauses:
        yield clause.text, clause_at(clause), f"пункт {clause.number or ''} документа".replace("  ", " ")
    for r, roadmap in enumerate(order.roadmaps):
        for i, item in enumerate(roadmap.items):
            cells = [("activity", item.activity), ("description", item.description), ("result", item.result)]
            cells += [("responsible", p.text) for p in item.responsibles]
            for column, text in cells:
                if text:
                    yield text, item_at(r, i, item, column), label(item)


def _abbreviation_usages(order: Order, knowledge: Knowledge) -> Iterator[tuple[str, Usage, str | None]]:
    """(kind, usage, suggestion) for every abbreviation the document uses but
    does not define: «misspelt», «inferred» or «unknown»."""
    for text, where, what in _texts(order):
        quoted = _quoted_spans(text)
        seen: set[str] = set()
        for m in _RUN.finditer(text):
            if any(m.start() in q for q in quoted):
                continue
            run = m.group()
            if run in seen:
                continue
            seen.add(run)
            if run in knowledge.inferred:
                yield "inferred", Usage(run, where, what), knowledge.inferred[run]
                continue
            if run in knowledge.known:
                continue
            close = knowledge.closest(run) if " " in run else None
            if close:
                yield "misspelt", Usage(run, where, what), close
                continue
            for token in _unknown_parts(run.split(" "), knowledge.known):
                if token in seen and token != run:
                    continue
                seen.add(token)
                if token in knowledge.inferred:
                    yield "inferred", Usage(token, where, what), knowledge.inferred[token]
                elif suggestion := knowledge.closest(token):
                    yield "misspelt", Usage(token, where, what), suggestion
                else:
                    yield "unknown", Usage(token, where, what), None
        for m in _CAPITALISED.finditer(text):
            word = m.group()
            stem = _stem(word)
            for short in knowledge.short_names:
                if len(short) >= MIN_FUZZY_WORD and stem != short and _stem(short) != stem and OSA.distance(stem, short) == 1:
                    # The word's own ending kept: «Рособнадзора» → «Рособрнадзора».
                    ending = word[len(stem):] if word.startswith(stem) else ""
                    yield "misspelt", Usage(word, where, what), short + ending
                    break


def _unknown_parts(tokens: list[str], known: set[str]) -> list[str]:
    """The tokens of a run left after taking its known abbreviations, longest
    first; unknown neighbours stay together («ДОО ГО»)."""
    out: list[str] = []
    pending: list[str] = []
    i = 0
    while i < len(tokens):
        for j in range(len(tokens), i, -1):
            if " ".join(tokens[i:j]) in known:
                if pending:
                    out.append(" ".join(pending))
                    pending = []
                i = j
                break
        else:
            pending.append(tokens[i])
            i += 1
    if pending:
        out.append(" ".join(pending))
    return out


@rule("P001", "responsible-missing", "warning", "У пункта не указан ответственный.")
def responsible_missing(order: Order):
    """Пункт плана с пустой ячейкой ответственного.

    Почему: мероприятие, за которое никто не отвечает, не будет выполнено; обычно
    это потерянная строка или ошибочно объединённые ячейки.

    Плохо:  | 7. | Вовлечение родительской общественности | В течение года |  |
    Хорошо: | 7. | Вовлечение родительской общественности | В течение года | ОО |
    """
    for r, roadmap in enumerate(order.roadmaps):
        for i, item in enumerate(roadmap.items):
            if not item.responsibles and item.activity:
                yield Hit(f"{label(item)}: не указан ответственный", item_at(r, i, item, "responsible"))


@rule("P002", "abbreviation-undefined", "warning", "Сокращение не определено в документе и не входит в число известных.")
def abbreviation_undefined(order: Order):
    """Сокращение, которое документ использует, не определив его: оно не
    общеупотребительное и не выводится из наименований, приведённых в самом
    документе.

    Почему: читатель, не работающий в этом органе, не может знать, что такое «ОМО».

    Плохо:  «Организация работы ОМО», и нигде нет «(далее – ОМО)»
    Хорошо: «… окружного методического объединения (далее – ОМО)»
    """
    knowledge = Knowledge.of(order)
    for kind, usage, _ in _abbreviation_usages(order, knowledge):
        if kind == "unknown":
            yield Hit(f"{usage.what}: сокращение «{usage.text}» не определено в документе и не известно", usage.where)


@rule("P003", "abbreviation-misspelt", "warning", "Сокращение похоже на опечатку в известном сокращении.")
def abbreviation_misspelt(order: Order):
    """Сокращение, которое на одну букву (у длинных — на две) отличается от
    определённого или использованного в документе либо от общеупотребительного, —
    вероятно, опечатка.

    Почему: «ДОО ГО» вместо «ДОО ТО» поручает задачу несуществующему органу.

    Плохо:  «ДОО ГО», «ШНРО» (вместо «ШНОР»), «Рособнадзора» (вместо «Рособрнадзор»)
    Хорошо: «ДОО ТО», «ШНОР», «Рособрнадзора»
    """
    knowledge = Knowledge.of(order)
    for kind, usage, suggestion in _abbreviation_usages(order, knowledge):
        if kind == "misspelt":
            yield Hit(
                f"{usage.what}: «{usage.text}» — вероятно, опечатка в «{suggestion}»",
                usage.where,
                fix=suggestion,
                replaces=usage.text,
            )


@rule("P004", "abbreviation-redefined", "warning", "Одно сокращение определено дважды с разными значениями.")
def abbreviation_redefined(order: Order):
    """Одно и то же сокращение определено дважды для разных понятий.

    Почему: после второго «(далее – Мониторинг)» читатель не поймёт, о каком
    мониторинге идёт речь в следующих пунктах.

    Плохо:  «Мониторинг развития … (далее – Мониторинг)», затем «Мониторинг
            системы работы … (далее – Мониторинг)»
    Хорошо: «(далее – Мониторинг МО)» и «(далее – Мониторинг ШНОР)»
    """
    first: dict[str, tuple[str, str]] = {}
    for a in order.abbreviations:
        key = phrase_key(to_nominative(a.full))
        if a.short not in first:
            first[a.short] = (key, a.full)
        elif first[a.short][0] != key:
            yield Hit(
                f"сокращение «{a.short}» определено повторно с другим значением: «{first[a.short][1]}» и «{a.full}»",
                {"page": a.location.page, "line": a.location.line},
            )


@rule("P005", "abbreviation-inferred", "info", "Сокращение не определено, но его значение найдено по наименованиям в документе.")
def abbreviation_inferred(order: Order):
    """Сокращение, использованное без «(далее – …)», значение которого найдено
    по начальным буквам одного из наименований в документе.

    Почему: такая расшифровка, скорее всего, верна, но в документе не указана;
    если определить сокращение, сомнений не останется.

    Плохо:  «ДОО ТО» используется, но нигде не определено
    Хорошо: «Департамент общего образования Томской области (далее – ДОО ТО)»
    """
    knowledge = Knowledge.of(order)
    reported: set[str] = set()
    for kind, usage, name in _abbreviation_usages(order, knowledge):
        if kind == "inferred" and usage.text not in reported:
            reported.add(usage.text)
            yield Hit(f"{usage.what}: сокращение «{usage.text}» не определено; по инициалам — «{name}»", usage.where)
