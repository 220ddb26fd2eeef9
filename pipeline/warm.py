"""Importing this module loads, once, what reading any document needs: the
pipeline's modules, both PDF engines, the DOCX reader and the morphological
dictionary.  A process that forks document readers imports it first (a
batch before its workers, the fork server of a threaded caller such as the
web server as its preload), so that every child starts warm instead of
paying the imports and the dictionary again per document."""

from __future__ import annotations

import pipeline.extract  # noqa: F401
import pipeline.readers.docx  # noqa: F401
import pipeline.readers.pdf  # noqa: F401
from pipeline.lang.morph import analyzer

analyzer()
