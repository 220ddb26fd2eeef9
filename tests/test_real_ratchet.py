"""The ratchet: every real document of the development set stays at or above
the figures in ``corpus/real/ratchet.json`` — items found, rows exact, each
field, metadata.  What works on a real document can never silently break;
the file is raised as the readers improve (``bench/real_accuracy.py
--update-ratchet``) and lowered only with a recorded reason."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from tests.real import REAL, documents

sys.path.insert(0, str(REAL.parent.parent))
from bench.real_accuracy import HELD, RATCHET, _get, run  # noqa: E402

NEEDS_OCR = ("_SCAN", "_MIXED")
NEEDS_OFFICE = (".doc",)


def test_every_expected_document_is_held():
    held = json.loads(RATCHET.read_text("utf-8"))["documents"]
    assert sorted(held) == sorted(p.name for p in documents())


@pytest.fixture(scope="module")
def results():
    paths = documents()
    if shutil.which("tesseract") is None:
        paths = [p for p in paths if not any(mark in p.name for mark in NEEDS_OCR)]
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        paths = [p for p in paths if p.suffix not in NEEDS_OFFICE]
    return run(paths, jobs=2)


@pytest.mark.parametrize("name", sorted(p.name for p in documents()))
def test_no_figure_drops(name, results):
    if name not in results:
        pytest.skip("needs Tesseract or LibreOffice, not installed here")
    held = json.loads(RATCHET.read_text("utf-8"))["documents"][name]
    now = results[name][0].as_dict()
    dropped = [f"{figure}: {_get(held, figure)} → {_get(now, figure)}" for figure in HELD if _get(now, figure) < _get(held, figure)]
    assert not dropped, f"{name}: " + "; ".join(dropped)
