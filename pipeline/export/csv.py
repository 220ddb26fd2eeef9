"""The items of an order as CSV: UTF-8 with a BOM (Excel reads Cyrillic
correctly only with it), one row per item, dates as ISO, parties joined by «; »."""

from __future__ import annotations

import csv
import io

from pipeline.export import ITEM_HEADERS, item_rows
from schemas import Order


def items_csv(order: Order) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ITEM_HEADERS)
    for row in item_rows(order):
        writer.writerow(
            [v.isoformat() if hasattr(v, "isoformat") else ("" if v is None else str(v).replace("\n", "; ")) for v in row]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def rows_csv(headers: list[str], rows: list[dict]) -> bytes:
    """Any table of dicts as CSV in the same form (a list of corrections)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else str(row[h]) for h in headers])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
