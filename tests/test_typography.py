"""Official documents as a clerk would sign them: no-break spaces where
Russian typesetting wants them, dates in words, abbreviations spelt out in
the case of their place, names inflected whole, lists kept as lists."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from pipeline.extract import extract_order
from pipeline.lang.inflect import case_at, inflect_phrase, to_nominative
from pipeline.lang.words import repair_keeping_lists
from pipeline.render.context import order_context
from pipeline.render.typography import NBSP, date_in_words, typeset
from tests.conftest import CORPUS


@pytest.mark.parametrize(
    "text,expected",
    [
        ("приказ № 123-ОД", f"приказ №{NBSP}123-ОД"),
        ("№414", f"№{NBSP}414"),
        ("от 10 июня 2021 г.", f"от 10{NBSP}июня 2021{NBSP}г."),
        ("на 2020 – 2022 гг.", f"на 2020{NBSP}– 2022{NBSP}гг."),
        ("И.И. Иванов", f"И.И.{NBSP}Иванов"),
        ("Иванов И.И.", f"Иванов{NBSP}И.И."),
        ("г. Энск", f"г.{NBSP}Энск"),
        ("(далее – ИРО)", f"(далее{NBSP}–{NBSP}ИРО)"),
        ("школы – участники", f"школы{NBSP}– участники"),
        ("(далее - ГАУ ДПО)", f"(далее{NBSP}–{NBSP}ГАУ ДПО)"),
        ("(далее –МОЦ)", f"(далее{NBSP}–{NBSP}МОЦ)"),
        ("до 15 июля 2021года", f"до 15{NBSP}июля 2021{NBSP}года"),
        ("Март - май", f"Март{NBSP}– май"),
        ("2020-2021 учебный год", "2020-2021 учебный год"),
    ],
)
def test_no_break_spaces(text, expected):
    assert typeset(text) == expected


def test_a_date_in_words():
    assert date_in_words(dt.date(2021, 8, 17)) == f"17{NBSP}августа 2021{NBSP}г."


def test_a_regenerated_order_writes_its_date_in_words_not_as_the_source_spelt_it():
    order = extract_order(CORPUS / "documents" / "smolensk-prikaz-718-od.txt")
    assert order.document.date_text == "« 06 » 10 2020 г."
    context = order_context(order)
    assert context["date"] == f"6{NBSP}октября 2020{NBSP}г."
    assert context["number"] == f"№{NBSP}718-ОД"


@pytest.mark.parametrize(
    "text,word,case",
    [
        ("ИРО обеспечить методическое сопровождение", "ИРО", "datv"),
        ("2. ИРО обеспечить сопровождение", "ИРО", "datv"),
        ("Определение перечня ШНОР на основе", "ШНОР", "gent"),
        ("по согласованию с МОУО и ОО", "МОУО", "ablt"),
        ("Направить в ИРО отчёт", "ИРО", "accs"),
        ("Участие в МОЦ", "МОЦ", "loct"),
        ("Провести совещание для ОО", "ОО", "gent"),
        ("ИРО проводит семинар", "ИРО", "nomn"),
    ],
)
def test_the_case_an_abbreviation_takes_where_it_stands(text, word, case):
    start = text.index(word)
    assert case_at(text, start, start + len(word)) == case


def test_a_pair_of_nouns_is_inflected_whole():
    phrase = "муниципальных районов и городских округов, осуществляющих управление в сфере образования"
    assert to_nominative(phrase) == "муниципальные районы и городские округа, осуществляющие управление в сфере образования"
    assert inflect_phrase("школы с низкими результатами обучения", "gent", nominative=True) == "школ с низкими результатами обучения"
    # Without knowing it is a nominative, a form that is the case asked stays.
    assert inflect_phrase("администрации района", "gent") == "администрации района"


def test_the_draft_spells_abbreviations_out_in_the_case_of_their_place(tmp_path):
    out = tmp_path / "draft.json"
    subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", "draft", CORPUS / "draft-example.yaml",
                    "-o", tmp_path / "draft.md", "--json", out], capture_output=True, check=False)
    text = json.dumps(json.loads(out.read_text("utf-8")), ensure_ascii=False)
    assert "Определение перечня школ с низкими результатами обучения (далее – ШНОР)" in text
    assert "Энскому институту развития образования (далее – ИРО) обеспечить" in text


def test_a_list_inside_a_clause_stays_a_list():
    assert repair_keeping_lists("Утвердить:\n– план\nмероприятий;\n– программу.") == "Утвердить:\n– план мероприятий;\n– программу."


def test_the_draft_reads_its_own_deadlines(tmp_path):
    result = subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", "draft", CORPUS / "draft-example.yaml",
                             "-o", tmp_path / "draft.md"], capture_output=True, text=True)
    assert result.returncode == 0 and "D001" not in result.stderr


def test_the_signature_keeps_with_the_last_clause():
    import io

    import docx

    from pipeline.render import render

    order = extract_order(CORPUS / "documents" / "smolensk-prikaz-718-od.txt")
    paragraphs = docx.Document(io.BytesIO(render(order, "docx"))).paragraphs
    last = next(i for i, p in enumerate(paragraphs) if p.text.startswith("5. Контроль за исполнением"))
    signature = next(i for i, p in enumerate(paragraphs) if "Талкина" in p.text)
    assert all(p.paragraph_format.keep_with_next for p in paragraphs[last:signature])
