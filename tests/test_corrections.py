"""Corrections of an order as read: every kind of edit, a finding's fix,
undo and redo, and what changed — against the corpus order of Tomsk."""

import pytest

from pipeline.corrections import EDIT, EditError, Workbench, word_diff
from pipeline.extract import extract_order
from pipeline.validate import validate
from tests.conftest import CORPUS

TOMSK = CORPUS / "documents" / "tomsk-rasporyazhenie-293-r.docx"


@pytest.fixture(scope="module")
def read():
    return extract_order(TOMSK)


@pytest.fixture
def bench(read):
    return Workbench.of(read.model_copy(deep=True))


def make(bench, **edit):
    bench.apply(EDIT.validate_python(edit), edit["op"], validate(bench.order, "t") if edit["op"] == "fix" else None)


def test_cell_edit_is_normalized_and_told(bench):
    make(bench, op="cell", roadmap=0, item=2, field="deadline", value="сентябрь 2021 г.")
    deadline = bench.order.roadmaps[0].items[2].deadline
    assert (deadline.kind, str(deadline.start), str(deadline.end)) == ("month", "2021-09-01", "2021-09-30")
    [change] = bench.changes()
    assert (change.kind, change.where, change.field, change.before, change.after) == ("changed", "пункт 3", "срок", "Апрель-май 2020", "сентябрь 2021 г.")


def test_split_then_merge_is_the_row_again(bench, read):
    item = read.roadmaps[0].items[4]
    make(bench, op="split-item", roadmap=0, item=4, upper={"activity": "Первая часть"}, lower={"activity": "Вторая часть", "deadline": "июнь 2020"})
    assert [i.activity for i in bench.order.roadmaps[0].items[4:6]] == ["Первая часть", "Вторая часть"]
    assert bench.order.roadmaps[0].items[5].deadline.start.isoformat() == "2020-06-01"
    kinds = sorted(c.kind for c in bench.changes())
    assert kinds == ["added", "changed"]  # the upper half is the row as read, changed; the lower is new
    make(bench, op="merge-items", roadmap=0, item=4)
    merged = bench.order.roadmaps[0].items[4]
    assert merged.activity == "Первая часть Вторая часть" and merged.deadline.text == f"{item.deadline.text} июнь 2020"
    assert len(bench.order.roadmaps[0].items) == len(read.roadmaps[0].items)


def test_move_delete_add_are_told_as_such(bench, read):
    make(bench, op="move-item", roadmap=0, item=0, to=3)
    make(bench, op="delete-item", roadmap=0, item=10)
    make(bench, op="add-item", roadmap=0, after=-1)
    make(bench, op="cell", roadmap=0, item=0, field="activity", value="Новое мероприятие")
    kinds = {(c.kind, c.where) for c in bench.changes()}
    assert ("moved", "пункт 1") in kinds
    assert ("removed", "пункт 11") in kinds  # positions after the moved row are as read
    assert ("added", "строка 1") in kinds
    assert sum(c.kind != "changed" for c in bench.changes()) == 3


def test_fix_replaces_only_the_misspelling_and_keeps_the_ending(bench):
    findings = validate(bench.order, "t")
    codes = [(f.replaces, f.fix) for f in findings if f.code == "P003"]
    assert ("ДОО ГО", "ДОО ТО") in codes and ("Рособнадзора", "Рособрнадзора") in codes
    index = next(k for k, f in enumerate(findings) if f.fix == "Рособрнадзора")
    bench.apply(EDIT.validate_python({"op": "fix", "finding": index, "code": "P003"}), "fix", findings)
    assert "от Рособрнадзора:" in bench.order.roadmaps[0].items[4].activity
    assert not any(f.fix == "Рособрнадзора" for f in validate(bench.order, "t"))


def test_stale_fix_and_bad_edits_are_refused_leaving_the_order_as_it_was(bench):
    before = bench.order.model_dump_json()
    with pytest.raises(EditError, match="замечания изменились"):
        bench.apply(EDIT.validate_python({"op": "fix", "finding": 0, "code": "Z999"}), "fix", validate(bench.order, "t"))
    with pytest.raises(EditError, match="не дата"):
        make(bench, op="requisite", field="date", value="вчера")
    with pytest.raises(EditError, match="последнего"):
        make(bench, op="merge-items", roadmap=0, item=len(bench.order.roadmaps[0].items) - 1)
    with pytest.raises(EditError, match="нет такого пункта"):
        make(bench, op="cell", roadmap=0, item=999, field="activity", value="x")
    assert bench.order.model_dump_json() == before and not bench.undo_stack


def test_undo_redo_requisites_clauses_sections(bench, read):
    make(bench, op="requisite", field="date", value="«5» мая 2021 г.")
    assert bench.order.document.date.isoformat() == "2021-05-05"
    make(bench, op="clause", index=0, text="Новый текст пункта.")
    make(bench, op="add-clause", after=0)
    section = "Организационные меры"
    make(bench, op="cell", roadmap=0, item=0, field="section", value=section)
    make(bench, op="section", roadmap=0, old=section, new="Организация")
    assert bench.order.roadmaps[0].items[0].section == "Организация" and bench.order.roadmaps[0].sections[0].title == "Организация"
    for _ in range(5):
        assert bench.undo()
    assert bench.undo() is None
    assert bench.order.model_dump_json() == read.model_dump_json() and bench.changes() == []
    for _ in range(5):
        assert bench.redo()
    assert bench.order.document.date.isoformat() == "2021-05-05" and bench.order.clauses[1].text == "Новый пункт"


def test_word_diff_marks_words():
    assert word_diff("до 1 мая 2020", "до 1 июня 2020") == [("same", "до 1 "), ("del", "мая"), ("ins", "июня"), ("same", " 2020")]
