""".doc, .rtf and .odt through LibreOffice; a clear error without it."""

import shutil
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.readers import read_document, sniff
from tests.accuracy import EXPECTED, without_locations

FIXTURES = Path(__file__).parent / "fixtures" / "office"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def test_formats_are_recognised_by_content():
    kinds = {p.suffix: sniff(p.read_bytes()[:128]) for p in FIXTURES.iterdir()}
    assert kinds == {".doc": "ole", ".rtf": "rtf", ".odt": "odt"}


@needs_soffice
@pytest.mark.parametrize("suffix", [".doc", ".rtf", ".odt"])
def test_office_formats_extract_like_the_docx(suffix):
    import json

    from pipeline.extract import extract_order

    order = extract_order(FIXTURES / f"tomsk-293-r{suffix}")
    expected = json.loads((EXPECTED / "tomsk-rasporyazhenie-293-r.json").read_text("utf-8"))
    assert without_locations(json.loads(order.model_dump_json())) == expected
    assert order.source.format == {".doc": "doc", ".rtf": "rtf", ".odt": "odt"}[suffix]


@pytest.mark.parametrize("suffix", [".doc", ".rtf", ".odt"])
def test_without_libreoffice_the_error_says_what_to_install(suffix, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(InputError) as error:
        read_document(FIXTURES / f"tomsk-293-r{suffix}")
    assert "LibreOffice" in error.value.reason and "не установлен" in error.value.reason
