"""The output contract: what ``roadmap extract`` emits, as pydantic v2 models.

Other tools read these names; the fixed ones are ``document`` {kind,
authority, date, number, place, title, signatory {position, name}},
``clauses``, ``appendices``, ``abbreviations`` [{short, full}] and
``roadmaps`` [{title, columns, items: [{number, section, activity,
description, deadline: {text}, responsibles: [{text}], result}]}].
Everything else is added on top of that and may grow.

The JSON Schema files beside this module are generated from these models
(``roadmap schema``) and kept in sync by a test.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Location(_Model):
    """Where something stands in the source file."""

    page: int | None = Field(None, description="1-based page, for paged formats")
    line: int | None = Field(None, description="1-based line of a text file or block index of a DOCX body")
    row: int | None = Field(None, description="1-based row of a DOCX table (its block is `line`)")


class Signatory(_Model):
    position: str | None = Field(None, description="«И.о. начальника Департамента»")
    name: str | None = Field(None, description="as printed: «Е.П. Талкина»")


class DocumentMeta(_Model):
    kind: str | None = Field(
        None, description="приказ, распоряжение, постановление …; for a plan published on its own: план, программа, комплекс мер, дорожная карта; lower case"
    )
    authority: str | None = Field(
        None, description="the issuing body as printed in the heading; for a plan, the organisation whose head approves it"
    )
    date: dt.date | None = Field(None, description="ISO date of the order; for a plan, the approval date of its stamp")
    date_text: str | None = Field(None, description="the date as printed")
    number: str | None = Field(None, description="as printed, without stray spaces: 718-ОД")
    place: str | None = Field(None, description="«Томск», «г. Нарьян-Мар»")
    title: str | None = None
    preamble: str | None = None
    signatory: Signatory = Field(default_factory=Signatory)


class Clause(_Model):
    number: str | None = Field(None, description="as printed: «3.1.», «1)»; kept even when repeated")
    level: int = Field(1, description="1 for «1.», 2 for «3.1.» or «1)» under «4.», …")
    parent: str | None = Field(None, description="number of the enclosing clause")
    text: str
    location: Location = Field(default_factory=Location)


class OrderReference(_Model):
    """An order cited by an appendix heading: «к приказу … от 06.10.20 № 418-ОД»."""

    kind: str | None = None
    date: dt.date | None = None
    date_text: str | None = None
    number: str | None = None
    blank: bool = Field(False, description="date or number left as a blank «___» to fill in")


class ContentBlock(_Model):
    type: Literal["paragraph", "table"]
    text: str | None = None
    rows: list[list[str]] | None = None
    roadmap: int | None = Field(None, description="index into `roadmaps` when the table is a roadmap")


class Appendix(_Model):
    index: int = Field(description="1-based position among the appendices")
    number: str | None = Field(None, description="as printed in «Приложение № 2»; null when not printed")
    heading: str | None = Field(None, description="the heading block as printed, lines joined")
    approval: bool = Field(False, description="the heading is an approval stamp «УТВЕРЖДЕН приказом …»")
    cites: OrderReference | None = Field(None, description="the order the heading cites")
    amended_by: OrderReference | None = Field(None, description="«(в ред. от … № …)»")
    title: str | None = None
    content: list[ContentBlock] = Field(default_factory=list)
    location: Location = Field(default_factory=Location)


class Abbreviation(_Model):
    short: str
    full: str
    kind: Literal["abbreviation", "short_name"] = Field(
        "abbreviation", description="an initialism («МОЦ») or a short name («Департамент»)"
    )
    location: Location = Field(default_factory=Location)


ColumnRole = Literal[
    "number", "activity", "description", "deadline", "responsible", "participants",
    "result", "document", "funding", "note", "other",
]


class Column(_Model):
    index: int
    header: str
    role: ColumnRole


DeadlineKind = Literal["date", "month", "range", "list", "until", "from", "throughout", "recurring", "schedule", "unknown"]


class DateSpan(_Model):
    start: dt.date
    end: dt.date


class Deadline(_Model):
    """A deadline as printed and as a date interval.

    ``start``/``end`` cover the whole deadline (``until`` has no start,
    ``from`` no end); ``dates`` lists the parts of a ``list``; ``basis`` says
    whether the year was written (explicit) or taken from context (inferred).
    """

    text: str = Field(description="the cell's meaning as printed: repaired, HTML removed, whitespace collapsed")
    kind: DeadlineKind | None = Field(None, description="null until normalized")
    start: dt.date | None = None
    end: dt.date | None = None
    dates: list[DateSpan] = Field(default_factory=list)
    recurrence: Literal["daily", "weekly", "monthly", "quarterly", "semiannually", "annually"] | None = None
    basis: Literal["explicit", "inferred"] | None = None


PartyKind = Literal["organisation", "body", "role", "person", "group"]
PartyBasis = Literal["document", "gazetteer", "inferred", "text", "unresolved"]


class Party(_Model):
    """One responsible party, as printed and as a resolved entity."""

    text: str = Field(description="one responsible party as printed")
    name: str | None = Field(None, description="the full name in the nominative")
    abbreviation: str | None = None
    kind: PartyKind | None = None
    key: str | None = Field(None, description="canonical key: the lemmas of the full name")
    note: str | None = Field(None, description="a parenthetical note: «утверждение», «по согласованию»")
    basis: PartyBasis | None = Field(
        None,
        description="where the name comes from: the document's abbreviations, the gazetteer, initials of a "
        "phrase of the document (inferred), the party's own text, or nowhere (unresolved)",
    )


class Item(_Model):
    number: str | None = Field(None, description="as printed: «1.», «1.1.», «12»")
    section: str | None = Field(None, description="title of the section row above, as printed")
    activity: str = ""
    description: str | None = None
    deadline: Deadline | None = None
    responsibles: list[Party] = Field(default_factory=list)
    result: str | None = None
    extra: dict[str, str] = Field(default_factory=dict, description="other columns, by header")
    confidence: dict[str, float] = Field(
        default_factory=dict, description="OCR: the lowest mean word confidence (0–100) of each column read from an image"
    )
    location: Location = Field(default_factory=Location)


class Section(_Model):
    number: str | None = None
    title: str
    location: Location = Field(default_factory=Location)


class PlanPeriod(_Model):
    """The period a plan covers, from its title or the order's («на 2020 –
    2021 учебный год»: 2020-09-01 … 2021-08-31)."""

    start: dt.date
    end: dt.date
    academic: bool = False


class Roadmap(_Model):
    title: str | None = None
    appendix: int | None = Field(None, description="`index` of the appendix holding the table")
    period: PlanPeriod | None = Field(
        None,
        description="the plan period: from the roadmap's title, else the nearest statement above its table "
        "(a heading, the document's title, a sentence saying what the plan is for)",
    )
    columns: list[Column]
    sections: list[Section] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    location: Location = Field(default_factory=Location)


class SourceFile(_Model):
    path: str
    format: str
    pages: int | None = None
    ocr: bool = Field(False, description="the text was read from page images by OCR")
    ocr_confidence: float | None = Field(None, description="mean OCR confidence (0–100) of the document's text")


class Order(_Model):
    """One order: metadata, clauses, appendices, abbreviations and roadmaps."""

    schema_version: str = SCHEMA_VERSION
    source: SourceFile
    document: DocumentMeta = Field(default_factory=DocumentMeta)
    clauses: list[Clause] = Field(default_factory=list)
    appendices: list[Appendix] = Field(default_factory=list)
    abbreviations: list[Abbreviation] = Field(default_factory=list)
    roadmaps: list[Roadmap] = Field(default_factory=list)


Severity = Literal["error", "warning", "info"]


class FindingLocation(_Model):
    """Where a finding points: the file, and as much of page, line, clause,
    appendix, roadmap, item and column as applies."""

    file: str
    page: int | None = None
    line: int | None = None
    row: int | None = Field(None, description="1-based row of a DOCX table (its block is `line`)")
    clause: str | None = None
    appendix: int | None = None
    roadmap: int | None = Field(None, description="index into `roadmaps`")
    item: str | None = Field(None, description="the item's number as printed")
    item_index: int | None = Field(None, description="0-based position of the item in its roadmap")
    column: str | None = Field(None, description="column role: deadline, responsible …")


class Finding(_Model):
    code: str = Field(description="rule code: D001, P003 …")
    rule: str = Field(description="rule name: deadline-not-understood …")
    severity: Severity
    message: str = Field(description="in Russian, for the user")
    location: FindingLocation
    fix: str | None = Field(None, description="a suggested correction")
    replaces: str | None = Field(None, description="the text in the located field that `fix` replaces")
