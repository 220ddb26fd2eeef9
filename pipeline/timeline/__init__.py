"""The plan in time: a timeline model (:mod:`.model`) and its chart (:mod:`.draw`)."""

from pipeline.timeline.model import Lane, Mark, Row, Timeline, build_timeline

__all__ = ["Lane", "Mark", "Row", "Timeline", "build_timeline"]
