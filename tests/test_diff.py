"""`roadmap diff`: items matched by content across two versions, and per
item what changed.  The real pairs are compared from their hand-checked
JSON (corpus/real/expected), so the test holds the comparison, not the
reading of a scan; the seed is compared with a copy edited here in every
way a new edition edits a plan."""

import datetime as dt
import json
import subprocess
import sys

import jsonschema
import pytest

from pipeline.diff import compare
from pipeline.diff.text import render
from pipeline.extract import extract_order
from pipeline.normalize import normalize
from schemas import DIFF_SCHEMA_FILE, Deadline, Item, Order, Party, diff_json_schema, diff_json_schema_text
from tests.conftest import CORPUS

EXPECTED = CORPUS / "real" / "expected"
SEED = CORPUS / "documents" / "smolensk-prikaz-718-od.docx"


def expected(name: str) -> Order:
    data = json.loads((EXPECTED / f"{name}.json").read_text("utf-8"))
    return normalize(Order.model_validate({**data, "source": {"path": name, "format": "json"}}))


def test_a_plan_republished_unchanged_for_a_new_year():
    """The centre's safety plan, 2017–2018 (a scan) and 2019–2020 (DOCX): the
    same 70 rows, only the date and the year in the title changed."""
    diff = compare(expected("ussuriysk_cssu_plan_kompleksnoy_bezopasnosti_2017_2018_SCAN"),
                   expected("ussuriysk_cssu_plan_kompleksnoy_bezopasnosti_2019_2020"))
    assert diff.counts == {"unchanged": 70, "requisites": 2}
    assert [(c.label, c.before, c.after) for c in diff.requisites][0] == ("дата", "24.08.2017", "24.08.2019")
    # «В течение года» of 2017/18 and of 2019/20 is the same place in the plan: no deadline change.
    assert all(item.deadline is None for item in diff.items)


def test_a_programme_with_one_sentence_dropped():
    """The college's programme, 2020–2023 (a scan) and 2024–2027: the years
    moved by four, and row 2 lost one sentence («Корректировка учебного плана …»)."""
    diff = compare(expected("moskva_nochu_dpo_geotek_programma_razvitiya_2020_2023_SCAN"),
                   expected("moskva_nochu_dpo_geotek_programma_razvitiya_2024_2027"))
    assert diff.counts["unchanged"] == 8 and diff.counts["changed"] == 1 and diff.counts["activity"] == 1
    [changed] = [i for i in diff.items if i.kind == "changed"]
    assert changed.old.index == changed.new.index == 1 and changed.deadline is None
    removed = "".join(p.text for p in changed.fields[0].words if p.op == "del")
    assert removed.strip() == "Корректировка учебного плана с учетом обязательной сдачи международного экзамена по иностранному языку для подтверждения освоения уровня."
    assert not [p for p in changed.fields[0].words if p.op == "ins"]


@pytest.fixture(scope="module")
def seed():
    return extract_order(SEED)


def edited(seed: Order) -> Order:
    """A new edition of the seed: renumbered, a row moved to another section,
    a section renamed, deadlines moved and opened, parties changed, rows
    added and removed, one activity reworded."""
    new = seed.model_copy(deep=True)
    items = new.roadmaps[0].items
    sections = [s.title for s in new.roadmaps[0].sections]
    items[0].activity = items[0].activity.replace("в текущем учебном году", "в 2020–2021 учебном году")
    items[1].deadline = Deadline(text="январь 2021 г.")  # «октябрь» → three months later
    items[2].deadline = Deadline(text="до 15 ноября 2020 г.")  # a month → open-ended
    items[3].responsibles = items[3].responsibles[:1]  # a party removed
    items[4].responsibles.append(Party(text="Смоленский областной институт развития образования"))  # a known party by its full name
    moved = items.pop(7)  # to the last section
    moved.section = sections[-1]
    items.append(moved)
    removed = items.pop(10)
    items.insert(5, Item(number="5.1.", section=items[4].section, activity="Создание регионального банка лучших практик работы со школами",
                         deadline=Deadline(text="декабрь"), responsibles=[Party(text="СОИРО")]))
    for item in items:
        if item.section == sections[1]:
            item.section = "Развитие кадрового потенциала"
    new.roadmaps[0].sections[1].title = "Развитие кадрового потенциала"
    for k, item in enumerate(items, 1):
        item.number = f"{k}."
    return normalize(new), removed


def test_a_seed_against_an_edited_copy(seed):
    new, removed = edited(seed)
    diff = compare(seed, new)
    by_old = {i.old.index: i for i in diff.items if i.old}
    assert diff.sections_renamed[0].after == "Развитие кадрового потенциала"
    assert by_old[0].events == ["activity"]
    words = [(p.op, p.text) for p in by_old[0].fields[0].words if p.op != "same"]
    assert words == [("del", "текущем"), ("ins", "2020–2021")]
    assert by_old[1].events == ["deadline-later"] and by_old[1].deadline.summary == "перенесён на 3 месяца позже"
    assert by_old[2].events == ["deadline-open"]
    assert [p.name for p in by_old[3].parties_removed] and not by_old[3].parties_added
    assert by_old[4].events == ["parties"] and by_old[4].parties_added[0].name == "Смоленский областной институт развития образования"
    assert "moved" in by_old[7].events and by_old[7].new.section == seed.roadmaps[0].sections[-1].title
    gone = next(k for k, item in enumerate(seed.roadmaps[0].items) if item.activity == removed.activity)
    assert by_old[gone].kind == "removed"
    [added] = [i for i in diff.items if i.kind == "added"]
    assert added.new.activity.startswith("Создание регионального банка")
    # Renamed section: its rows did not move; renumbered rows are the same rows.
    renamed = [i for i in diff.items if i.old and i.old.section == seed.roadmaps[0].sections[1].title and i.kind != "removed"]
    assert renamed and all("moved" not in i.events for i in renamed)
    assert diff.counts["added"] == 1 and diff.counts["removed"] == 1
    assert diff.counts["unchanged"] + diff.counts["changed"] == len(seed.roadmaps[0].items) - 1
    text = render(diff)
    assert "перенесён в раздел" in text and f"удалён пункт {removed.number.rstrip('.')}" in text and "перенумерованы без других изменений" in text


def test_cli_json_schema_and_fail_on(seed, tmp_path):
    new, _ = edited(seed)
    old_path, new_path = tmp_path / "old.json", tmp_path / "new.json"
    old_path.write_text(seed.model_dump_json(), "utf-8")
    new_path.write_text(new.model_dump_json(), "utf-8")
    run = lambda *args: subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", "diff", *map(str, args)],  # noqa: E731
                                       capture_output=True, text=True)
    done = run(old_path, new_path, "--format", "json")
    assert done.returncode == 0, done.stderr
    jsonschema.Draft202012Validator(diff_json_schema()).validate(json.loads(done.stdout))
    assert run(old_path, new_path, "--fail-on", "removed,deadline-later").returncode == 1
    assert run(old_path, old_path, "--fail-on", "removed").returncode == 0
    bad = run(old_path, new_path, "--fail-on", "everything")
    assert bad.returncode == 2 and "неизвестный вид изменений «everything»" in bad.stderr


def test_diff_schema_file_is_in_sync():
    assert DIFF_SCHEMA_FILE.read_text("utf-8") == diff_json_schema_text(), "run: roadmap schema --of diff -o schemas/diff.schema.json"


def test_deadline_shift_words():
    from pipeline.diff.compare import deadline_change

    def change(a, b, shift=0):
        return deadline_change(Item(deadline=Deadline(text="a", kind="range", start=a[0], end=a[1])),
                               Item(deadline=Deadline(text="b", kind="range", start=b[0], end=b[1])), shift)

    d = dt.date
    assert change((d(2021, 3, 1), d(2021, 3, 31)), (d(2021, 3, 1), d(2021, 3, 20))).summary == "перенесён на 11 дней раньше"
    assert change((d(2021, 3, 1), d(2021, 3, 31)), (d(2021, 3, 1), d(2021, 5, 31))).summary == "перенесён на 2 месяца позже"
    assert change((d(2021, 3, 1), d(2021, 3, 31)), (d(2022, 3, 1), d(2022, 3, 31)), 12).shift == "same-dates"


def test_comparative_table_docx_and_html(seed):
    import io

    import docx

    from pipeline.diff.report import docx_table, html_report

    new, removed = edited(seed)
    new.roadmaps[0].items[0].activity += " <script>alert(1)</script>"
    diff = compare(seed, new, "old.docx", "new.docx")
    document = docx.Document(io.BytesIO(docx_table(diff, seed, new)))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["№\xa0п/п", "Было (действующая редакция)", "Стало (новая редакция)", "Основание"]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    by_basis = {row[3]: row for row in rows}
    assert "Пункт исключён" in by_basis and by_basis["Пункт исключён"][2] == "Исключить"
    assert by_basis["Пункт исключён"][1].startswith(f"{removed.number} {removed.activity}")
    assert any(row[1] == "—" and row[3].startswith("Пункт добавлен") for row in rows)
    assert any("Срок перенесён на 3 месяца позже" == row[3] and "Срок: октябрь" in row[1] and "Срок: январь 2021 г." in row[2] for row in rows)
    assert "перенумерованы без других изменений" in document.paragraphs[-1].text
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape
    html = html_report(diff, seed, new)
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "Сравнительная таблица" in html
