"""Errors a user sees as one line: what file, what is wrong."""

from __future__ import annotations


class InputError(Exception):
    """The input cannot be turned into an order: unreadable, unsupported,
    empty, or not an order.  The message is for the user (Russian)."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class NoTextLayer(InputError):
    """A PDF with no text layer: a scan, to be read by OCR if it is installed."""
