"""Scans: OCR with Tesseract, tables from the page image with OpenCV.

The fixtures are synthetic scans of corpus PDFs (tests/fixtures/scans/
make_scans.py): 200 dpi, turned, noisy, JPEG'd, black and white."""

import shutil
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.readers import read_document
from pipeline.lang.ocr_text import fix_lookalikes

SCANS = Path(__file__).parent / "fixtures" / "scans"
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")


def test_lookalikes_become_cyrillic():
    assert fix_lookalikes("00") == "ОО"
    assert fix_lookalikes("MOЦ") == "МОЦ"  # Latin M and O in a Cyrillic word
    assert fix_lookalikes("2020") == "2020"
    assert fix_lookalikes("10.06.2020") == "10.06.2020"


def test_without_tesseract_a_scan_is_refused_naming_the_package(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(InputError) as error:
        read_document(SCANS / "smolensk-prikaz-718-od-scan.pdf")
    assert "нет текстового слоя" in error.value.reason and "tesseract-ocr-rus" in error.value.reason


@needs_tesseract
def test_scan_reads_into_the_same_layout():
    from pipeline.extract import extract_order

    order = extract_order(SCANS / "smolensk-prikaz-718-od-scan.pdf")
    assert order.source.format == "scan"
    assert (order.document.kind, order.document.number) == ("приказ", "718-ОД")
    [roadmap] = order.roadmaps
    assert [c.role for c in roadmap.columns] == ["number", "activity", "deadline", "responsible"]
    assert len(roadmap.items) == 39
    # OCR is not exact yet (see the issue note); most numbers and deadlines are.
    numbers = [i.number for i in roadmap.items]
    assert sum(n == f"{k}." for k, n in enumerate(numbers, start=1)) >= 30
