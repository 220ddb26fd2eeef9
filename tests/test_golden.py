"""Golden files: every corpus document extracts to its expected JSON.

The expected files were checked by eye, row by row, against the source
documents.  Locations (page, line) and the source path differ between the
.txt, .docx and .pdf forms of one order, so they are left out of the
comparison and of the golden files; everything else is compared whole.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.extract import extract_order
from tests.accuracy import EXPECTED, without_locations
from tests.conftest import CORPUS

DOCUMENTS = CORPUS / "documents"
FORMATS = (".txt", ".docx", ".pdf")


def golden_json(path: Path) -> dict:
    return without_locations(json.loads(extract_order(path).model_dump_json()))


# What a format cannot carry.  In the PDF of 422-ОД one cell holds
# «Региональный координатор» and «директора» as two paragraphs; the PDF shows
# them as three lines in a narrow column, where «директора» would not have fit
# after «координатор» anyway, so a wrap and a paragraph break look the same,
# and «координатор директора» reads as a genitive.  The reader cannot know.
KNOWN_LIMITS = {
    "smolensk-prikaz-422-od.pdf": "item 30: two parties one per line look like one wrapped name in the PDF",
}


def cases():
    for document in sorted(DOCUMENTS.iterdir()):
        if document.suffix in FORMATS:
            marks = [pytest.mark.xfail(reason=KNOWN_LIMITS[document.name], strict=True)] if document.name in KNOWN_LIMITS else []
            yield pytest.param(document, EXPECTED / f"{document.stem}.json", id=document.name, marks=marks)


@pytest.mark.parametrize("document,expected", list(cases()))
def test_document_matches_golden(document: Path, expected: Path, update_golden: bool):
    actual = golden_json(document)
    if update_golden and document.suffix == ".txt":
        expected.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert actual == json.loads(expected.read_text(encoding="utf-8"))


def test_every_document_has_a_golden():
    stems = {p.stem for p in DOCUMENTS.iterdir() if p.suffix in FORMATS}
    assert stems == {p.stem for p in EXPECTED.glob("*.json")}


# What the issue states of each seed, independent of the golden files.
COUNTS = {
    "smolensk-prikaz-718-od": (39, [22, 6, 7, 4]),
    "smolensk-prikaz-422-od": (38, [11, 5, 19, 3]),
    "mordovia-bbereznikovsky-prikaz-59-b": (43, [17, 13, 13]),
    "tomsk-rasporyazhenie-293-r": (27, []),
    "nao-rasporyazhenie-454-r": (28, [8, 15, 5]),
}


@pytest.mark.parametrize("stem", sorted(COUNTS))
def test_items_and_sections(stem: str):
    order = extract_order(DOCUMENTS / f"{stem}.txt")
    total, per_section = COUNTS[stem]
    items = [i for r in order.roadmaps for i in r.items]
    assert len(items) == total
    sizes: dict[str, int] = {}
    for item in items:
        if item.section:
            sizes[item.section] = sizes.get(item.section, 0) + 1
    assert list(sizes.values()) == per_section
