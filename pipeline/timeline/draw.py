"""A timeline drawn as a Gantt chart by Matplotlib: SVG (text kept as text,
each mark a link to its row on the web page), PNG and an HTML page.

Matplotlib is imported here only, when a chart is asked for: it costs about
half a second and 60 MB, which neither the reading nor the checks pay.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from html import escape

from pipeline.lang.data import load
from pipeline.lang.months import month_starts
from pipeline.timeline.model import NO_SECTION, Timeline

ROW_INCHES = 0.26
WIDTH_INCHES = 13.0
LABEL_CHARS = 60
COLOURS = {"bar": "#2e6da4", "band": "#9fd0b5", "open": "#2e6da4", "error": "#c0392b", "warning": "#d68910"}
LINK = "#item-{roadmap}-{item}"
FORMATS = ("svg", "png", "html")


def _label(number: str, activity: str) -> str:
    text = " ".join(activity.split()) or "(без названия)"
    text = textwrap.shorten(text, LABEL_CHARS, placeholder="…")
    return f"{number} {text}" if number else text


def figure(timeline: Timeline, links: bool = True):
    """The chart as a Matplotlib figure (Agg; no window, no pyplot state)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: searchable, selectable
    matplotlib.rcParams["font.family"] = "DejaVu Sans"  # Matplotlib's own font has Cyrillic

    lines: list[tuple[str, object]] = []  # ("lane", title) or ("row", Row)
    for lane in timeline.lanes:
        if len(timeline.lanes) > 1 or lane.title != NO_SECTION:
            lines.append(("lane", textwrap.shorten(lane.title, LABEL_CHARS, placeholder="…")))
        lines += [("row", row) for row in lane.rows]
    height = max(2.5, 1.3 + ROW_INCHES * len(lines))
    fig = Figure(figsize=(WIDTH_INCHES, height), dpi=100)
    ax = fig.add_axes((0.36, 0.9 / height, 0.62, 1 - 1.3 / height))
    start = mdates.date2num(timeline.start)
    end = mdates.date2num(timeline.end + dt.timedelta(days=1))
    span = max(end - start, 1)
    ax.set_xlim(start - span * 0.01, end + span * 0.01)
    ax.set_ylim(len(lines) - 0.5, -0.5)
    months = month_starts(timeline.start, timeline.end)
    names = load("months")["axis"]["names"]
    step = 1 if len(months) <= 18 else 3 if len(months) <= 48 else 12
    shown = [m for m in months if (m.month - 1) % step == 0]
    ax.set_xticks([mdates.date2num(m) for m in shown])
    ax.set_xticklabels([f"{names[m.month - 1]}\n{m.year}" if m.month == 1 or m == shown[0] else names[m.month - 1] for m in shown], fontsize=8)
    ax.xaxis.tick_top()
    for m in months:
        ax.axvline(mdates.date2num(m), color="#e3e7eb", linewidth=0.6, zorder=0)
    ax.set_yticks(range(len(lines)))
    labels = []
    for kind, value in lines:
        labels.append(value if kind == "lane" else _label(value.number, value.activity))
    ax.set_yticklabels(labels, fontsize=8)
    for tick, (kind, value) in zip(ax.get_yticklabels(), lines):
        if kind == "lane":
            tick.set_fontweight("bold")
        elif value.severity in {"error", "warning"}:
            tick.set_color(COLOURS[value.severity])
    ax.tick_params(axis="y", length=0)
    for side in ("right", "left", "bottom"):
        ax.spines[side].set_visible(False)

    for y, (kind, value) in enumerate(lines):
        if kind == "lane":
            ax.axhspan(y - 0.5, y + 0.5, color="#f1f4f7", zorder=0)
            continue
        row = value
        edge = COLOURS.get(row.severity or "", "none")
        url = LINK.format(roadmap=row.roadmap, item=row.item) if links else None
        if row.note:
            text = ax.text(start + span * 0.005, y, row.note, va="center", fontsize=7.5, color="#6b7b8c", style="italic")
            text.set_url(url)
        for mark in row.marks:
            x0 = mdates.date2num(mark.start)
            x1 = mdates.date2num(mark.end + dt.timedelta(days=1))
            if mark.shape == "diamond":
                (artist,) = ax.plot([(x0 + x1) / 2], [y], marker="D", markersize=7, color=COLOURS["bar"],
                                    markeredgecolor=edge if edge != "none" else COLOURS["bar"], markeredgewidth=1.5, linestyle="none")
            elif mark.shape == "band":
                artist = ax.barh(y, x1 - x0, left=x0, height=0.5, color=COLOURS["band"], edgecolor=edge, linewidth=1.2)[0]
                if mark.ticks:
                    ax.plot([mdates.date2num(t) for t in mark.ticks], [y] * len(mark.ticks), marker="|", markersize=9,
                            color="#1e7a4c", linestyle="none")
            elif mark.shape in {"open-start", "open-end"}:
                artist = ax.barh(y, x1 - x0, left=x0, height=0.5, color=COLOURS["open"], alpha=0.35, edgecolor=edge, linewidth=1.2)[0]
                at, arrow = (x0, "◀") if mark.shape == "open-start" else (x1, "▶")
                ax.text(at, y, arrow, va="center", ha="center", fontsize=7, color=COLOURS["open"])
                if mark.shape == "open-start":
                    ax.plot([x1], [y], marker="|", markersize=11, markeredgewidth=2, color=COLOURS["bar"], linestyle="none")
            else:
                artist = ax.barh(y, x1 - x0, left=x0, height=0.5, color=COLOURS["bar"], edgecolor=edge, linewidth=1.2)[0]
            artist.set_url(url)
            artist.set_gid(f"mark-{row.roadmap}-{row.item}")
    if timeline.today:
        x = mdates.date2num(timeline.today)
        ax.axvline(x, color=COLOURS["error"], linestyle="--", linewidth=1)
        ax.text(x, len(lines) - 0.5, " сегодня", color=COLOURS["error"], fontsize=8, va="bottom")
    legend = [
        Patch(color=COLOURS["bar"], label="срок — период"),
        Line2D([], [], marker="D", color=COLOURS["bar"], linestyle="none", label="срок — дата"),
        Patch(color=COLOURS["open"], alpha=0.35, label="«до …» / «с …» — открытый срок"),
        Patch(color=COLOURS["band"], label="весь период или регулярно (| — повторы)"),
        Patch(facecolor="white", edgecolor=COLOURS["error"], label="есть замечания"),
    ]
    fig.legend(handles=legend, loc="lower center", ncol=5, fontsize=8, frameon=False)
    return fig


def chart(timeline: Timeline, fmt: str) -> bytes:
    """The chart in ``fmt``: svg, png or html (a page holding the SVG)."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    buffer = io.BytesIO()
    fig = figure(timeline, links=fmt != "png")
    fig.savefig(buffer, format="png" if fmt == "png" else "svg", dpi=110 if fmt == "png" else None,
                metadata=None if fmt == "png" else {"Date": None})
    data = buffer.getvalue()
    if fmt == "png":
        return data
    # Matplotlib opens every link in a new window; a mark's link is a row of the same page.
    data = data.replace(b' target="_blank"', b"")
    if fmt == "svg":
        return data
    svg = data.decode("utf-8")
    svg = svg[svg.index("<svg"):]
    by = "по разделам" if timeline.grouping == "section" else "по исполнителям"
    return (
        "<!DOCTYPE html>\n<html lang=\"ru\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(timeline.title)} — график {by}</title>"
        "<style>body{font:14px system-ui,sans-serif;margin:1rem} svg{max-width:100%;height:auto}</style></head>"
        f"<body><h1>{escape(timeline.title)}</h1><p>График {by}, {timeline.start:%d.%m.%Y} – {timeline.end:%d.%m.%Y}.</p>\n"
        f"{svg}</body></html>\n"
    ).encode()
