"""The main job: a file in, an :class:`~schemas.Order` out."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from pipeline.errors import InputError
from pipeline.normalize import normalize
from pipeline.progress import report
from pipeline.readers import read_document
from pipeline.structure import recover
from schemas import Order


def extract_order(path: str | Path) -> Order:
    """Read ``path``, recover the order in it and normalize its deadlines and
    parties.  Raises :class:`pipeline.errors.InputError`."""
    layout = read_document(path)
    report("structure", 0, 1)
    return normalize(recover(layout))


def order_json_bytes(order: Order) -> bytes:
    """The JSON as UTF-8 bytes straight from the serializer: no text copy of
    it (a 300-page order's JSON is 4.5 MB, twice that as a Python string)."""
    return order.__pydantic_serializer__.to_json(order, indent=2) + b"\n"


def write_order_json(order: Order, out: BinaryIO) -> None:
    """Write exactly :func:`order_json_bytes` to ``out``, a roadmap item at a
    time: the order without its items is serialized whole, and each item
    into its place at its depth, so that no buffer holds the whole JSON (on
    a 300-page order the serializer's buffer was 12 MB of the peak)."""
    skeleton = order.model_copy(update={"roadmaps": [r.model_copy(update={"items": []}) for r in order.roadmaps]})
    marker = b'"items": []'
    parts = skeleton.__pydantic_serializer__.to_json(skeleton, indent=2).split(marker)
    if len(parts) != len(order.roadmaps) + 1:  # cannot happen: only a roadmap has items
        out.write(order_json_bytes(order))
        return
    for roadmap, before in zip(order.roadmaps, parts):
        out.write(before)
        if not roadmap.items:
            out.write(marker)
            continue
        indent = len(before) - before.rfind(b"\n") - 1  # the column "items" starts at
        pad = b"\n" + b" " * (indent + 2)
        out.write(b'"items": [')
        for k, item in enumerate(roadmap.items):
            body = item.__pydantic_serializer__.to_json(item, indent=2)
            out.write((b"," if k else b"") + pad + body.replace(b"\n", pad))
        out.write(b"\n" + b" " * indent + b"]")
    out.write(parts[-1] + b"\n")


def extract_output(path: str | Path, fmt: str = "json", target: Path | None = None) -> bytes | str | None:
    """The file's order in its output format (json, xlsx, csv), made where
    the order was read: the process that reads a document sends back only
    the output, not the order.  With ``target`` the output is written there
    (atomically; JSON a piece at a time) and nothing is sent back."""
    from pipeline.fileio import OutputError, write_atomic, write_atomic_with

    order = extract_order(path)
    if fmt == "json":
        if target is None:
            return order_json_bytes(order)
        try:
            write_atomic_with(target, lambda out: write_order_json(order, out))
        except OutputError as exc:
            raise InputError(str(target), str(exc)) from None
        return None
    if fmt == "xlsx":
        from pipeline.export.xlsx import order_xlsx
        from pipeline.validate import validate

        output: bytes | str = order_xlsx(order, validate(order, str(path)))
    else:
        from pipeline.export.csv import items_csv

        output = items_csv(order)
    if target is None:
        return output
    try:
        write_atomic(target, output)
    except OutputError as exc:
        raise InputError(str(target), str(exc)) from None
    return None
