"""What changed between two versions of a plan (:mod:`.compare`), items
matched by content (:mod:`.match`), told for a terminal (:mod:`.text`)."""

from pipeline.diff.compare import compare
from pipeline.diff.match import MatchSettings, match_items

__all__ = ["MatchSettings", "compare", "match_items"]
