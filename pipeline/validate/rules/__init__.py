"""The rules, one module per family; importing this package registers them.

D — deadlines, P — parties and abbreviations, N — numbering,
R — cross-references, C — content, O — text read by OCR.
"""

from pipeline.validate.rules import content, deadlines, numbering, ocr, parties, references  # noqa: F401
