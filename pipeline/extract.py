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


def order_json_bytes(order: Order) -> bytes:
    """The JSON as UTF-8 bytes straight from the serializer: no text copy of
    it (a 300-page order's JSON is 4.5 MB, twice that as a Python string)."""
    return order.__pydantic_serializer__.to_json(order, indent=2) + b"\n"


def extract_output(path: str | Path, fmt: str = "json") -> bytes | str:
    """The file's order in its output format (json, xlsx, csv), made where
    the order was read: the process that reads a document sends back only
    the output, not the order."""
    order = extract_order(path)
    if fmt == "xlsx":
        from pipeline.export.xlsx import order_xlsx
        from pipeline.validate import validate

        return order_xlsx(order, validate(order, str(path)))
    if fmt == "csv":
        from pipeline.export.csv import items_csv

        return items_csv(order)
    return order_json_bytes(order)
