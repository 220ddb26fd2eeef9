"""A standardized plan draft from a short YAML spec.

The spec names the authority, kind, title, plan period, clauses and the plan's
sections with their items (activity, deadline, responsibles, result); date and
number may be left out as placeholders.  The draft numbers items per section
(«1.1.», «1.2.»), writes every deadline the normalizer understands in one
standard form («октябрь 2020 г.», «сентябрь 2020 г. – май 2021 г.», «в течение
2021 года»), spells each abbreviation out with «(далее – X)» at its first use,
and is validated before it is written.  See ``corpus/draft-example.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from pipeline.lang.data import load
from pipeline.lang.dates import impossible_date
from pipeline.lang.inflect import case_at, inflect_phrase
from pipeline.lang.morph import parses
from pipeline.normalize import normalize
from pipeline.lang.periods import parse_period
from pipeline.normalize.deadlines import DeadlineContext, normalize_deadline
from schemas import (
    Abbreviation,
    Appendix,
    Clause,
    Column,
    ContentBlock,
    Deadline,
    DocumentMeta,
    Item,
    Order,
    Party,
    Roadmap,
    Section,
    Signatory,
    SourceFile,
)

COLUMNS = [
    ("№ п/п", "number"),
    ("Наименование мероприятия", "activity"),
    ("Срок исполнения", "deadline"),
    ("Ответственные исполнители", "responsible"),
    ("Ожидаемый результат", "result"),
]


class SpecError(Exception):
    """The spec cannot be made into a draft; the message says where."""


def _month_name(month: int, case: str = "nomn") -> str:
    name = next(k for k, v in load("months")["months"].items() if v == month)
    if case == "nomn":
        return name
    return parses(name)[0].inflect({case}).word


def _month(day: dt.date) -> str:
    return f"{_month_name(day.month)} {day.year} г."


def _day(day: dt.date) -> str:
    return f"{day.day} {_month_name(day.month, 'gent')} {day.year} г."


def standard_deadline(deadline: Deadline) -> str:
    """One standard wording for what the normalizer understood; the text as
    written otherwise (schedules, recurring terms, the unknown)."""
    start, end, kind = deadline.start, deadline.end, deadline.kind
    if kind == "month" and start:
        return _month(start)
    if kind == "date" and start:
        return _day(start)
    if kind == "until" and end:
        return f"до {_day(end)}"
    if kind == "from" and start:
        return f"с {_day(start)}"
    if kind == "range" and start and end:
        whole_months = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
        if whole_months:
            return f"{_month(start)} – {_month(end)}"
        return f"{_day(start)} – {_day(end)}"
    if kind == "list" and deadline.dates:
        return "; ".join(_month(p.start) if p.start.day == 1 and (p.end + dt.timedelta(days=1)).day == 1 and p.start.month == p.end.month else f"{_day(p.start)} – {_day(p.end)}" for p in deadline.dates)
    if kind == "throughout" and start and end:
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
            return f"в течение {start.year} года"
        if (start.month, start.day, end.month, end.day) == (9, 1, 8, 31) and end.year == start.year + 1:
            return f"в течение {start.year}/{end.year} учебного года"
    return deadline.text


def _spell_out(text: str, abbreviations: dict[str, str], used: set[str]) -> str:
    """The first use of each abbreviation becomes «full (далее – X)», the
    full name in the case the place demands («перечня ШНОР» → «перечня
    школ с низкими результатами обучения (далее – ШНОР)»)."""
    for short, full in abbreviations.items():
        if short in used:
            continue
        pattern = re.compile(rf"(?<![\w«-]){re.escape(short)}(?![\w»-])")
        m = pattern.search(text)
        if m:
            used.add(short)
            case = case_at(text, m.start(), m.end())
            name = full if case == "nomn" else inflect_phrase(full, case, nominative=True)
            if not text[: m.start()].strip(" «"):
                name = _capital(name)
            text = text[: m.start()] + f"{name} (далее – {short})" + text[m.end() :]
    return text


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _required(spec: dict, key: str, where: str = "") -> object:
    if key not in spec or spec[key] in (None, ""):
        raise SpecError(f"нет поля «{where}{key}»")
    return spec[key]


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise SpecError(f"дата «{value}» не в формате ГГГГ-ММ-ДД") from None


def build_draft(path: Path) -> Order:
    """The draft of the YAML spec at ``path``."""
    try:
        spec = yaml.safe_load(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"не читается: {exc}") from None
    except yaml.YAMLError as exc:
        raise SpecError(f"не YAML: {str(exc).splitlines()[0]}") from None
    return draft_from_spec(spec, str(path))


def draft_from_spec(spec: object, label: str = "spec") -> Order:
    """The draft of a spec already read (a dict, as from YAML or a web form)."""
    path = label
    if not isinstance(spec, dict):
        raise SpecError("ожидается словарь полей (authority, kind, title, plan …)")
    plan = _required(spec, "plan")
    if not isinstance(plan, dict):
        raise SpecError("«plan» должен быть словарём (title, period, sections)")
    abbreviations: dict[str, str] = {str(k): str(v) for k, v in (plan.get("abbreviations") or {}).items()}
    used: set[str] = set()

    date = _date(spec.get("date"))
    signatory = spec.get("signatory") or {}
    meta = DocumentMeta(
        kind=str(_required(spec, "kind")).lower(),
        authority=str(_required(spec, "authority")),
        date=date,
        date_text=date.strftime("%d.%m.%Y") if date else None,
        number=str(spec["number"]) if spec.get("number") else None,
        place=spec.get("place"),
        title=str(_required(spec, "title")),
        preamble=spec.get("preamble"),
        signatory=Signatory(position=signatory.get("position"), name=signatory.get("name")),
    )
    clauses = [
        Clause(number=f"{i}.", level=1, text=_spell_out(str(text), abbreviations, used))
        for i, text in enumerate(spec.get("clauses") or [], start=1)
    ]

    plan_title = str(_required(plan, "title", "plan."))
    period_text = str(plan.get("period") or plan_title)
    context = DeadlineContext(parse_period(period_text) or parse_period(meta.title), date)
    if context.period is None:
        raise SpecError("не указан период плана («plan.period», например «на 2020 – 2021 учебный год»)")

    sections: list[Section] = []
    items: list[Item] = []
    for s_index, section in enumerate(_required(plan, "sections", "plan.") or [], start=1):
        title = str(_required(section, "title", f"plan.sections[{s_index}]."))
        sections.append(Section(number=f"{s_index}.", title=title))
        for i_index, raw in enumerate(section.get("items") or [], start=1):
            where = f"plan.sections[{s_index}].items[{i_index}]."
            activity = _spell_out(str(_required(raw, "activity", where)), abbreviations, used)
            deadline_text = str(raw.get("deadline") or "").strip()
            deadline = None
            if (wrong := impossible_date(deadline_text)) is not None:
                raise SpecError(f"раздел {s_index}, строка {i_index}: срок «{deadline_text}» — даты «{wrong}» не бывает")
            if deadline_text:
                deadline = Deadline(text=standard_deadline(normalize_deadline(deadline_text, context)))
            parties = raw.get("responsibles") or []
            if isinstance(parties, str):
                parties = [parties]
            items.append(
                Item(
                    number=f"{s_index}.{i_index}.",
                    section=f"{s_index}. {title}",
                    activity=activity,
                    deadline=deadline,
                    responsibles=[Party(text=_capital(_spell_out(str(p), abbreviations, used))) for p in parties],
                    result=_spell_out(str(raw["result"]), abbreviations, used) if raw.get("result") else None,
                )
            )

    roadmap = Roadmap(
        title=plan_title,
        appendix=1,
        columns=[Column(index=i, header=h, role=r) for i, (h, r) in enumerate(COLUMNS)],
        sections=sections,
        items=items,
    )
    appendix = Appendix(index=1, title=plan_title, content=[ContentBlock(type="table", roadmap=0)])
    definitions = [Abbreviation(short=s, full=f) for s, f in abbreviations.items() if s in used]
    order = Order(
        source=SourceFile(path=str(path), format="yaml"),
        document=meta,
        clauses=clauses,
        appendices=[appendix],
        abbreviations=definitions,
        roadmaps=[roadmap],
    )
    return normalize(order)
