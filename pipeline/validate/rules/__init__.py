"""The rules, one module per family; importing this package registers them.

D — deadlines, P — parties and abbreviations, N — numbering,
R — cross-references, C — content.
"""

from pipeline.validate.rules import content, deadlines, numbering, parties, references  # noqa: F401
