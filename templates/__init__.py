"""Templates of documents: ``order.docx`` (docxtpl), ``order.html.j2`` and
``order.md.j2`` (Jinja).  A package so that an installed roadmap-orders finds
them with importlib.resources."""
