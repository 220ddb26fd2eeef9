"""Pydantic models of everything the pipeline emits, and their JSON Schema."""

from schemas.models import (  # noqa: F401
    SCHEMA_VERSION,
    Abbreviation,
    Appendix,
    Clause,
    Column,
    DateSpan,
    ContentBlock,
    Deadline,
    DocumentMeta,
    Finding,
    FindingLocation,
    Item,
    Location,
    Order,
    OrderReference,
    Party,
    PlanPeriod,
    Roadmap,
    Section,
    Severity,
    Signatory,
    SourceFile,
)

import json as _json
from pathlib import Path as _Path

SCHEMA_FILE = _Path(__file__).with_name("order.schema.json")


def _json_schema(model) -> dict:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _text(schema: dict) -> str:
    return _json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def order_json_schema() -> dict:
    """The JSON Schema of :class:`Order`, as written to ``order.schema.json``."""
    return _json_schema(Order)


def order_json_schema_text() -> str:
    return _text(order_json_schema())


DIFF_SCHEMA_FILE = _Path(__file__).with_name("diff.schema.json")


def diff_json_schema() -> dict:
    """The JSON Schema of ``roadmap diff --format json`` (:class:`schemas.diff.OrderDiff`)."""
    from schemas.diff import OrderDiff

    return _json_schema(OrderDiff)


def diff_json_schema_text() -> str:
    return _text(diff_json_schema())
