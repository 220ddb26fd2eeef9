"""The page model and the layout every source shares.

Readers fill :class:`~pipeline.page.model.Page` objects — words with boxes,
size, weight and OCR confidence; ruling segments; image areas — from a text
layer (PDF) or from OCR (scans).  Everything after that is one piece of code
for every source: ``lines`` (words → lines, typed line breaks), ``tables``
(grids and cells), ``paragraphs``, ``furniture`` (running headers, page
numbers), ``assemble`` (pages → the document's blocks).  Knobs in
:class:`~pipeline.page.settings.LayoutSettings`.
"""
