"""The timeline: marks from deadlines, lanes by section and by party, the
chart as SVG/PNG/HTML, the CLI and the XLSX month grid."""

import datetime as dt
import io
import subprocess
import sys

import openpyxl
import pytest

from pipeline.export.xlsx import order_xlsx
from pipeline.extract import extract_order
from pipeline.timeline import build_timeline
from pipeline.timeline.draw import chart
from pipeline.timeline.model import item_marks
from schemas import Deadline, Item
from tests.conftest import CORPUS

SEED = CORPUS / "documents" / "smolensk-prikaz-718-od.docx"
TOMSK = CORPUS / "documents" / "tomsk-rasporyazhenie-293-r.docx"
START, END = dt.date(2020, 9, 1), dt.date(2021, 8, 31)


def marks(**deadline):
    found, note = item_marks(Item(deadline=Deadline(text="x", **deadline)), START, END)
    return [(m.shape, m.start.isoformat(), m.end.isoformat(), len(m.ticks)) for m in found], note


def test_marks_by_kind_of_deadline():
    day = dt.date(2020, 10, 15)
    assert marks(kind="date", start=day, end=day) == ([("diamond", "2020-10-15", "2020-10-15", 0)], None)
    assert marks(kind="month", start=dt.date(2020, 10, 1), end=dt.date(2020, 10, 31))[0][0][0] == "bar"
    assert marks(kind="until", end=day) == ([("open-start", "2020-09-01", "2020-10-15", 0)], None)
    assert marks(kind="from", start=day) == ([("open-end", "2020-10-15", "2021-08-31", 0)], None)
    assert marks(kind="recurring", recurrence="quarterly", start=START, end=END) == ([("band", "2020-09-01", "2021-08-31", 4)], None)
    assert marks(kind="throughout", start=START, end=END)[0][0][0] == "band"
    assert marks(kind="schedule") == ([], "по графику")
    assert marks(kind="unknown") == ([], "срок не распознан")
    assert item_marks(Item(), START, END) == ([], "срок не указан")


def test_lanes_by_section_and_by_party_merge_spellings():
    order = extract_order(SEED)
    by_section = build_timeline(order, "section", today=dt.date(2021, 1, 10))
    assert [lane.title for lane in by_section.lanes] == [s.title for s in order.roadmaps[0].sections]
    assert len(by_section.rows) == 39 and by_section.today == dt.date(2021, 1, 10)
    by_party = build_timeline(order, "party")
    titles = [lane.title for lane in by_party.lanes]
    assert "Смоленский областной институт развития образования (СОИРО)" in titles
    assert len(titles) == len(set(titles))
    assert build_timeline(order, "section", today=dt.date(2030, 1, 1)).today is None  # outside the plan: not drawn


def test_chart_formats():
    timeline = build_timeline(extract_order(TOMSK), "section", today=dt.date(2020, 5, 15))
    svg = chart(timeline, "svg").decode("utf-8")
    assert svg.count('xlink:href="#item-0-') >= 27 - 3 and "target=" not in svg  # a link per mark; three have none («по графику»)
    assert "сегодня" in svg and "Утверждение состава" in svg  # text kept as text
    assert chart(timeline, "png")[:8] == b"\x89PNG\r\n\x1a\n"
    html = chart(timeline, "html").decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "График по разделам" in html


def test_cli_writes_each_format(tmp_path):
    for suffix, magic in ((".svg", b"<?xml"), (".png", b"\x89PNG"), (".html", b"<!DOCTYPE")):
        out = tmp_path / f"plan{suffix}"
        done = subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", "timeline", str(SEED), "--by", "party", "-o", str(out)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert out.read_bytes().startswith(magic)
    bad = subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", "timeline", str(SEED), "-o", str(tmp_path / "plan.gif")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "plan.gif: формат не ясен" in bad.stderr and not (tmp_path / "plan.gif").exists()


def test_xlsx_month_grid():
    workbook = openpyxl.load_workbook(io.BytesIO(order_xlsx(extract_order(SEED))))
    sheet = workbook["График"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["№", "Мероприятие", "Срок (как в документе)", "сен 2020"] and header[-1] == "авг 2021"
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2) if row[0].value}
    october = header.index("окт 2020")
    first = rows["1"]
    assert first[2].value == "октябрь" and first[october].fill.start_color.rgb.endswith("2E6DA4")
    assert first[october + 1].fill.fill_type is None
    assert sheet["B2"].value == "Организационно-управленческие меры" and sheet["B2"].font.bold


@pytest.mark.parametrize("grouping", ["section", "party"])
def test_every_item_is_drawn(grouping):
    order = extract_order(TOMSK)
    rows = build_timeline(order, grouping).rows
    assert {(r.roadmap, r.item) for r in rows} == {(0, i) for i in range(len(order.roadmaps[0].items))}
