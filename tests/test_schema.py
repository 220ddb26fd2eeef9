"""The JSON Schema file matches the models, and every golden file satisfies it."""

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
