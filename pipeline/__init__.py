"""roadmap-orders: Russian education orders with roadmap tables → structured data.

The flow is one way: ``readers`` (file → :mod:`pipeline.layout`) →
``structure`` (layout → :class:`schemas.Order`) → export.
"""

__version__ = "0.1.0"
