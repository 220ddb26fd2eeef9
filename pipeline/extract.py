"""The main job: a file in, an :class:`~schemas.Order` out."""

from __future__ import annotations

from pathlib import Path

from pipeline.normalize import normalize
from pipeline.readers import read_document
from pipeline.structure import recover
from schemas import Order


def extract_order(path: str | Path) -> Order:
    """Read ``path``, recover the order in it and normalize its deadlines and
    parties.  Raises :class:`pipeline.errors.InputError`."""
    return normalize(recover(read_document(path)))


def order_json(order: Order) -> str:
    return order.model_dump_json(indent=2) + "\n"
