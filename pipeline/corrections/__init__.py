"""Corrections of an order as read: typed edits (:mod:`.edits`), a session
with undo and redo (:mod:`.workbench`) and what changed (:mod:`.changes`)."""

from pipeline.corrections.changes import Change, changes, word_diff
from pipeline.corrections.edits import EDIT, EditError, apply, apply_fix, read_ids
from pipeline.corrections.workbench import Workbench

__all__ = ["EDIT", "Change", "EditError", "Workbench", "apply", "apply_fix", "changes", "read_ids", "word_diff"]
