"""What changed between two versions of an order or plan: the output of
``roadmap diff`` (its JSON Schema is ``diff.schema.json``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DIFF_SCHEMA_VERSION = "1.0"

ItemChangeKind = Literal["unchanged", "changed", "added", "removed"]
# The kinds ``--fail-on`` takes: what a reviewer may want to stop on.
EventKind = Literal[
    "added", "removed", "renumbered", "moved", "activity", "deadline-earlier", "deadline-later", "deadline-open",
    "deadline-changed", "parties", "result", "section-renamed", "requisites", "clauses",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WordPiece(_Model):
    op: Literal["same", "del", "ins"]
    text: str


class FieldChange(_Model):
    field: str = Field(description="the field's key: activity, number, result, date …")
    label: str = Field(description="the field's Russian name, for people")
    before: str
    after: str
    words: list[WordPiece] = Field(default_factory=list, description="a word-level diff of long texts")


class Interval(_Model):
    text: str
    kind: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class DeadlineChange(_Model):
    before: Interval | None
    after: Interval | None
    shift: Literal["earlier", "later", "open", "closed", "other", "same-dates"] = Field(
        description="later: it ends later; open: it lost its end (or its start); same-dates: only the wording changed")
    summary: str = Field(description="in Russian: «перенесён на 3 месяца позже»")


class PartyRef(_Model):
    key: str
    name: str


class ItemRef(_Model):
    roadmap: int
    index: int = Field(description="0-based position in its roadmap")
    number: str | None = None
    section: str | None = None
    activity: str


class ItemDiff(_Model):
    kind: ItemChangeKind
    old: ItemRef | None = None
    new: ItemRef | None = None
    similarity: float | None = Field(None, description="0–100: how alike the activities of a matched pair are")
    events: list[EventKind] = Field(default_factory=list)
    fields: list[FieldChange] = Field(default_factory=list)
    deadline: DeadlineChange | None = None
    parties_added: list[PartyRef] = Field(default_factory=list)
    parties_removed: list[PartyRef] = Field(default_factory=list)


class SectionRename(_Model):
    roadmap: int
    before: str
    after: str


class Side(_Model):
    path: str
    kind: str | None = None
    number: str | None = None
    date: dt.date | None = None


class OrderDiff(_Model):
    """Two versions compared: items matched by content, not position."""

    schema_version: str = DIFF_SCHEMA_VERSION
    old: Side
    new: Side
    requisites: list[FieldChange] = Field(default_factory=list)
    clauses: list[FieldChange] = Field(default_factory=list)
    sections_renamed: list[SectionRename] = Field(default_factory=list)
    items: list[ItemDiff] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict, description="items unchanged, changed, added, removed; events by kind")
