"""O — text read from page images (scans)."""

from __future__ import annotations

from pipeline.validate.registry import Hit, rule
from pipeline.validate.rules._where import item_at, label
from schemas import Order

# Mean word confidence (0–100) under which a person should check a cell.
LOW_CONFIDENCE = 80.0


@rule("O001", "ocr-low-confidence", "warning", "A cell read from a scan with low OCR confidence.")
def ocr_low_confidence(order: Order):
    """A roadmap cell whose words Tesseract was unsure of.

    Why: OCR confuses letters («п»/«н», «ш»/«щ»), drops a «1» in a narrow
    column, reads a stamp as text; a person should compare the cell with the
    scan before the data is used.

    Bad:  a scanned deadline cell read with confidence 52
    Good: the cell checked against the scan and corrected
    """
    for r, roadmap in enumerate(order.roadmaps):
        for i, item in enumerate(roadmap.items):
            for column, confidence in sorted(item.confidence.items()):
                if confidence < LOW_CONFIDENCE:
                    yield Hit(f"{label(item)}: столбец «{column}» распознан неуверенно ({confidence:.0f} %), сверьте со сканом", item_at(r, i, item, column))


@rule("O002", "ocr-requisites-unread", "warning", "The date or number of a scanned order was not read.")
def ocr_requisites_unread(order: Order):
    """A scanned order whose date or number could not be read — often written
    by hand on the printed form.  They are reported, never guessed.

    Bad:  a scan with «от «__» ____ 2021 г. № ___» filled in by pen
    Good: date and number typed, or entered by the person checking the scan
    """
    if not order.source.ocr:
        return
    missing = [name for name, value in (("дата", order.document.date), ("номер", order.document.number)) if value is None]
    if missing:
        yield Hit(f"скан: не распознаны {' и '.join(missing)} документа (возможно, вписаны от руки) — укажите их вручную", {})
