"""Amending orders applied to the order they amend.  The five amending
orders in corpus/amendments/ are written by hand in the usual style of such
orders, against the seed 718-ОД; what each must change was read off the seed
and is stated here, instruction by instruction."""

import datetime as dt
import subprocess
import sys

import pytest

from pipeline.amend import apply_amendment, recognise
from pipeline.extract import extract_order
from schemas import Clause
from tests.conftest import CORPUS

SEED = CORPUS / "documents" / "smolensk-prikaz-718-od.docx"
AMENDMENTS = CORPUS / "amendments"


@pytest.fixture(scope="module")
def base():
    return extract_order(SEED)


def amended(base, name):
    return apply_amendment(base, extract_order(AMENDMENTS / f"{name}.txt"))


def item(order, number):
    [found] = [i for i in order.roadmaps[0].items if (i.number or "").rstrip(".") == number]
    return found


def numbers(order):
    return [(i.number or "").rstrip(".") for i in order.roadmaps[0].items]


def test_words_replaced_in_a_column_and_a_row_removed(base):
    result = amended(base, "01-slova-v-grafe")
    assert [o.applied for o in result.outcomes] == [True, True, True] and result.cites_base
    assert item(result.order, "2").deadline.text == "январь 2021 г."
    assert item(result.order, "2").deadline.start == dt.date(2021, 1, 1)  # normalized again
    assert item(result.order, "4").activity.startswith("Проведение комплексного обследования школ с низкими результатами обучения,")
    assert "12" not in numbers(result.order) and len(result.order.roadmaps[0].items) == 38
    assert item(base, "2").deadline.text == "октябрь"  # the base is left as it was


def test_a_clause_reworded_and_what_is_not_there_reported(base):
    result = amended(base, "02-punkt-prikaza")
    assert [(o.instruction.kind, o.instruction.target, o.applied) for o in result.outcomes] == [
        ("wording", "order", True), ("replace-words", "plan", True), ("delete", "order", False)]
    [clause] = [c for c in result.order.clauses if c.number == "3."]
    assert clause.text == "Контроль за исполнением настоящего приказа возложить на заместителя начальника Департамента."
    assert "окружные методические объединения" in [p.text for p in item(result.order, "29").responsibles]
    assert result.failed[0].message == "в приказе нет пункта 40"


def test_rows_added_and_reworded_from_the_attached_table(base):
    result = amended(base, "03-dopolnit-strokoj")
    assert all(o.applied for o in result.outcomes) and len(result.outcomes) == 3
    order = result.order
    assert numbers(order)[5:8] == ["6", "6.1", "7"] and "11" not in numbers(order)
    added = item(order, "6.1")
    assert added.activity == "Проведение стажировок педагогов школ с низкими результатами обучения на базе школ-лидеров"
    assert (added.deadline.start, added.deadline.end) == (dt.date(2021, 2, 1), dt.date(2021, 4, 30))
    assert added.section == item(order, "6").section and [p.text for p in added.responsibles] == ["СОИРО", "МОЦ"]
    reworded = item(order, "19")
    assert reworded.activity.endswith("с участием педагогов школ-лидеров") and reworded.deadline.text == "до 1 марта 2021 г."
    assert reworded.section == item(base, "19").section


def test_the_appendix_replaced(base):
    result = amended(base, "04-novaya-redakciya")
    assert [o.instruction.kind for o in result.outcomes] == ["replace-appendix"] and result.outcomes[0].applied
    assert [i.activity for i in result.order.roadmaps[0].items] == [
        "Организация деятельности муниципального образовательного центра", "Анализ результатов оценочных процедур",
        "Подведение итогов сопровождения школ"]


def test_what_cannot_be_applied_is_reported_never_guessed(base):
    result = amended(base, "05-smeshannyj")
    assert [(o.instruction.clause, o.applied) for o in result.outcomes] == [
        ("1.1.", True), ("1.2.", True), ("1.3.", False), ("1.4.", False), ("2.", True)]
    assert result.outcomes[2].message == "указание не распознано — внесите его вручную"
    assert result.outcomes[3].message == "в плане нет пункта 99"
    assert item(result.order, "13").deadline.text == "ноябрь 2020 г."
    assert "лучших практик" in item(result.order, "14").activity
    assert result.order.clauses[-1].number == "6." and result.order.clauses[-1].text == "Настоящий приказ вступает в силу со дня подписания."
    # The unapplied instructions changed nothing else.
    assert [i.activity for i in result.order.roadmaps[0].items if (i.number or "") not in {"13.", "14."}] == \
        [i.activity for i in base.roadmaps[0].items if (i.number or "") not in {"13.", "14."}]


def test_instruction_phrasings():
    def kinds(*texts):
        clauses = [Clause(number="1.", text="Внести в план мероприятий, утвержденный приказом от 01.01.2021 № 1, следующие изменения:")]
        clauses += [Clause(number=f"1.{k}.", parent="1.", level=2, text=t) for k, t in enumerate(texts, 1)]
        return [(i.kind, i.target, i.number, i.column, i.old, i.new) for i in recognise(clauses)]

    assert kinds("в графе «Срок исполнения» строки 3 слова «до 1 мая» заменить словами «до 1 июня»;") == [
        ("replace-words", "plan", "3", "Срок исполнения", "до 1 мая", "до 1 июня")]
    assert kinds("пункт 2.4 признать утратившим силу;")[0][:3] == ("delete", "plan", "2.4")
    assert kinds("дополнить раздел «Методическая помощь» строкой 2.5 следующего содержания (прилагается);")[0][:3] == ("add", "plan", "2.5")
    assert kinds("в пункте 7 слово «МОЦ» заменить словом «СОИРО».")[0] == ("replace-words", "plan", "7", None, "МОЦ", "СОИРО")
    assert kinds("абзац третий изложить в иной редакции;")[0][0] == "not-understood"


def test_an_amendment_of_another_order_is_told(base):
    other = extract_order(AMENDMENTS / "01-slova-v-grafe.txt").model_copy(deep=True)
    other.document.title = "О внесении изменений в приказ от 01.01.2020 № 1-ОД"
    other.clauses[0].text = other.clauses[0].text.replace("718-ОД", "1-ОД")
    assert not apply_amendment(base, other).cites_base


def test_cli(tmp_path):
    out = tmp_path / "consolidated.json"
    done = subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", "amend", str(SEED),
                           str(AMENDMENTS / "01-slova-v-grafe.txt"), str(AMENDMENTS / "03-dopolnit-strokoj.txt"), "-o", str(out),
                           "--diff", str(tmp_path / "changes.txt")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Итого пунктов плана: изменено 3, добавлено 1, удалено 2; не применено указаний: 0" in done.stderr
    told = (tmp_path / "changes.txt").read_text("utf-8")
    assert "добавлен пункт 6.1" in told and "удалён пункт 11" in told and "удалён пункт 12" in told
    failed = subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", "amend", str(SEED),
                             str(AMENDMENTS / "05-smeshannyj.txt"), "-o", str(tmp_path / "c2.json")], capture_output=True, text=True)
    assert failed.returncode == 1 and "п. 1.4. — НЕ ПРИМЕНЕНО: в плане нет пункта 99" in failed.stderr
