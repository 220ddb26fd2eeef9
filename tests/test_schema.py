"""The JSON Schema file matches the models, and every golden file satisfies it."""

from pathlib import Path

import json

import jsonschema
import pytest

from schemas import SCHEMA_FILE, order_json_schema, order_json_schema_text
from tests.conftest import CORPUS


def test_schema_file_is_in_sync_with_models():
    assert SCHEMA_FILE.read_text("utf-8") == order_json_schema_text(), "run: roadmap schema -o schemas/order.schema.json"


@pytest.mark.parametrize("path", sorted((CORPUS / "expected").glob("*.json")), ids=lambda p: p.name)
def test_extract_output_validates(path):
    from pipeline.extract import extract_order

    document = CORPUS / "documents" / f"{path.stem}.txt"
    data = json.loads(extract_order(document).model_dump_json())
    jsonschema.Draft202012Validator(order_json_schema()).validate(data)


def test_schema_rejects_wrong_shape():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"source": {"path": "x", "format": "text"}, "roadmaps": [{"items": []}]}, order_json_schema())



_DOCUMENTS = sorted((Path(__file__).resolve().parent.parent / "corpus" / "documents").glob("*.docx"))


@pytest.mark.parametrize("roadmaps", [1, 0, 3], ids=["one roadmap", "none", "three"])
@pytest.mark.parametrize("path", _DOCUMENTS, ids=lambda p: p.name)
def test_json_written_an_item_at_a_time_is_the_whole_json(path, roadmaps):
    """The streamed writer (items serialized one by one into their place)
    gives byte for byte what the serializer gives for the whole order."""
    import io

    from pipeline.extract import extract_order, order_json_bytes, write_order_json

    order = extract_order(path)
    assert order.roadmaps and order.roadmaps[0].items
    order = order.model_copy(update={"roadmaps": (order.roadmaps * 3)[:roadmaps]})
    out = io.BytesIO()
    write_order_json(order, out)
    assert out.getvalue() == order_json_bytes(order)
