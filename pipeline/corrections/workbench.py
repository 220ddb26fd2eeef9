"""A correction session: the order as read, the order as corrected, and the
way back (undo) and forward (redo).

A step is kept as the compressed JSON of the order before it, not as an
inverse edit: every edit normalizes the whole order again (a deadline's
interval may move with its section), so only a snapshot undoes exactly.
Orders compress about tenfold; ``MAX_STEPS`` bounds the memory.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field

from pipeline.corrections.changes import Change, changes
from pipeline.corrections.edits import apply, read_ids
from schemas import Finding, Order

MAX_STEPS = 200


def _pack(order: Order, ids: list[list[str]]) -> bytes:
    body = order.__pydantic_serializer__.to_json(order)
    return zlib.compress(json.dumps(ids).encode() + b"\n" + body, 3)


def _unpack(blob: bytes) -> tuple[Order, list[list[str]]]:
    head, _, body = zlib.decompress(blob).partition(b"\n")
    return Order.model_validate_json(body), json.loads(head)


@dataclass
class Workbench:
    read: Order
    order: Order
    read_ids: list[list[str]]
    ids: list[list[str]]
    undo_stack: list[tuple[bytes, str]] = field(default_factory=list)
    redo_stack: list[tuple[bytes, str]] = field(default_factory=list)

    @classmethod
    def of(cls, order: Order) -> Workbench:
        ids = read_ids(order)
        return cls(read=order.model_copy(deep=True), order=order, read_ids=ids, ids=[list(r) for r in ids])

    def apply(self, edit, what: str, findings: list[Finding] | None = None) -> None:
        """Make an edit; ``what`` names it for the undo button («правка срока»)."""
        before = _pack(self.order, self.ids)
        order, ids = _unpack(before)
        apply(order, ids, edit, findings)  # on a copy: a failed edit leaves nothing half-made
        self.order, self.ids = order, ids
        self.undo_stack.append((before, what))
        del self.undo_stack[:-MAX_STEPS]
        self.redo_stack.clear()

    def replace(self, order: Order, what: str) -> None:
        """A whole new order (a corrected JSON uploaded): items matched by position."""
        self.undo_stack.append((_pack(self.order, self.ids), what))
        del self.undo_stack[:-MAX_STEPS]
        self.redo_stack.clear()
        ids = [list(self.ids[r][: len(roadmap.items)]) if r < len(self.ids) else [] for r, roadmap in enumerate(order.roadmaps)]
        for r, roadmap in enumerate(order.roadmaps):
            ids[r] += [f"u{r}.{i}" for i in range(len(ids[r]), len(roadmap.items))]
        self.order, self.ids = order, ids

    def undo(self) -> str | None:
        """Step back; the name of the edit undone, None when there was none."""
        return self._step(self.undo_stack, self.redo_stack)

    def redo(self) -> str | None:
        return self._step(self.redo_stack, self.undo_stack)

    def _step(self, source: list, target: list) -> str | None:
        if not source:
            return None
        blob, what = source.pop()
        target.append((_pack(self.order, self.ids), what))
        self.order, self.ids = _unpack(blob)
        return what

    @property
    def next_undo(self) -> str | None:
        return self.undo_stack[-1][1] if self.undo_stack else None

    @property
    def next_redo(self) -> str | None:
        return self.redo_stack[-1][1] if self.redo_stack else None

    def changes(self) -> list[Change]:
        return changes(self.read, self.read_ids, self.order, self.ids)
