"""The command line as a CI check and as a tool used every week: selectors
and configuration that mean nothing are refused, reruns keep their findings,
inputs are chosen by content, and outputs are named for what they are."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl

from pipeline.inputs import collect_documents
from tests.conftest import CORPUS

DOCS = CORPUS / "documents"
CLEAN = DOCS / "tomsk-rasporyazhenie-293-r-corrected.txt"
WITH_ERRORS = DOCS / "smolensk-prikaz-718-od.txt"
SCAN_PAGE = Path(__file__).parent / "fixtures" / "scans"


def roadmap(*args, cwd=None, stdin=None, env=None):
    return subprocess.run(
        [sys.executable, "-c", "from pipeline.cli import run; run()", *map(str, args)],
        capture_output=True, cwd=cwd, input=stdin, timeout=300, env={**os.environ, "CI": "1", **(env or {})},
    )


def err(result) -> str:
    return result.stderr.decode("utf-8")


def out(result) -> str:
    return result.stdout.decode("utf-8")


# -- selectors and configuration ---------------------------------------------


def test_an_unknown_rule_code_is_refused_not_run_as_nothing():
    result = roadmap("validate", WITH_ERRORS, "--select", "Z9")
    assert result.returncode == 2
    assert err(result).strip().splitlines() == [
        "roadmap: --select: нет правила с кодом Z9 (коды правил начинаются с C, D, N, O, P, R; список: roadmap rules)"
    ]
    assert out(result) == ""


def test_a_misspelt_configuration_key_is_refused_with_its_right_spelling(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.roadmap]\nselekt = ["P"]\n', "utf-8")
    result = roadmap("validate", WITH_ERRORS, cwd=tmp_path)
    assert result.returncode == 2
    assert "неизвестный ключ «selekt» — может быть, select?" in err(result)


def test_an_unknown_code_in_the_configuration_is_refused(tmp_path):
    (tmp_path / "roadmap.toml").write_text('ignore = ["D0004"]\n', "utf-8")
    result = roadmap("validate", WITH_ERRORS, cwd=tmp_path)
    assert result.returncode == 2 and "D0004" in err(result)


def test_a_config_file_given_on_the_command_line(tmp_path):
    config = tmp_path / "checks.toml"
    config.write_text('select = ["N002"]\n', "utf-8")
    findings = json.loads(out(roadmap("validate", WITH_ERRORS, "--format", "json", "--config", config)))
    assert {f["code"] for f in findings} == {"N002"}


def test_ignore_all_and_exit_zero():
    quiet = roadmap("validate", WITH_ERRORS, "--ignore", "ALL")
    assert quiet.returncode == 0 and "0 ошибок, 0 предупреждений, 0 примечаний" in out(quiet)
    allowed = roadmap("validate", WITH_ERRORS, "--exit-zero")
    assert allowed.returncode == 0 and "3 ошибки" in out(allowed)


def test_statistics_count_findings_by_rule_the_commonest_first():
    lines = out(roadmap("validate", DOCS, "--statistics")).splitlines()
    counts = [int(line.split()[0]) for line in lines]
    assert counts == sorted(counts, reverse=True) and len(lines) == len({line.split()[1] for line in lines})
    assert any(line.split()[1] == "D004" for line in lines)
    data = json.loads(out(roadmap("validate", DOCS, "--statistics", "--format", "json")))
    assert sum(r["count"] for r in data) == sum(counts)


def test_quiet_leaves_the_summary_out():
    lines = out(roadmap("validate", WITH_ERRORS, "-q")).splitlines()
    assert lines and not any(line.startswith("Проверено документов") for line in lines)


def test_rules_refuses_an_unknown_code_and_shows_a_prefix():
    assert roadmap("rules", "--code", "X1").returncode == 2
    shown = out(roadmap("rules", "N"))
    assert "N001" in shown and "N002" in shown and "D001" not in shown


def test_plurals_agree_with_their_numbers():
    summary = out(roadmap("validate", WITH_ERRORS)).splitlines()[-1]
    assert summary == "Проверено документов: 1. 3 ошибки, 2 предупреждения, 1 примечание."


# -- batch --validate, run twice ----------------------------------------------


def test_a_rerun_of_a_validating_batch_reports_the_same_findings(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(WITH_ERRORS, folder / WITH_ERRORS.name)
    shutil.copy(CLEAN, folder / CLEAN.name)
    first = roadmap("batch", folder, "--out", tmp_path / "out", "--validate")
    second = roadmap("batch", folder, "--out", tmp_path / "out", "--validate")
    assert first.returncode == second.returncode == 1
    assert "пропущен (актуален)" in err(second)
    for run in (first, second):
        assert "замечания: 3 ошибки" in err(run)
        assert f"  ошибки: {folder / WITH_ERRORS.name} — 3 ошибки" in err(run).splitlines()
    book = openpyxl.load_workbook(tmp_path / "out" / "combined.xlsx")
    documents = {row[0]: row for row in book["Документы"].iter_rows(min_row=2, values_only=True)}
    assert documents[str(folder / WITH_ERRORS.name)][3] == 3
    assert documents[str(folder / CLEAN.name)][3] == 0
    notes = list(book["Замечания"].iter_rows(min_row=2, values_only=True))
    assert {n[0] for n in notes if n[3] == "ошибка"} == {str(folder / WITH_ERRORS.name)}


def test_findings_in_a_docx_point_at_their_table_row(tmp_path):
    # Every item of a DOCX table used to point at the table's one block.
    findings = json.loads(out(roadmap("validate", DOCS / "smolensk-prikaz-718-od.docx", "--format", "json", "--select", "D,P,N")))
    rows = [f["location"]["row"] for f in findings if f["location"].get("item_index") is not None]
    assert rows and len(set(rows)) > 1 and all(isinstance(r, int) and r > 1 for r in rows)
    text = out(roadmap("validate", DOCS / "smolensk-prikaz-718-od.docx", "--select", "P002"))
    assert re.search(r"\.docx:L37\.33:29\.: P002", text)  # item 29: row 33 of the table, block 37
    book = tmp_path / "o.xlsx"
    assert roadmap("extract", DOCS / "smolensk-prikaz-718-od.docx", "--format", "xlsx", "-o", book).returncode == 0
    sheet = openpyxl.load_workbook(book)["Замечания"]
    header = [c.value for c in sheet[1]]
    places = [row[header.index("Место в файле")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    item_places = [p for p in places if p and "строка таблицы" in p]
    assert len(set(item_places)) > 1


# -- inputs --------------------------------------------------------------------


def test_documents_in_folders_are_chosen_by_content(tmp_path):
    folder = tmp_path / "in"
    (folder / ".git").mkdir(parents=True)
    shutil.copy(SCAN_PAGE / "unruled-scan.pdf", folder / "скан без окончания")  # a PDF by its bytes
    shutil.copy(DOCS / "nao-rasporyazhenie-454-r.docx", folder / "приказ.bin")  # a Word package
    shutil.copy(DOCS / "nao-rasporyazhenie-454-r.txt", folder / "приказ.txt")
    (folder / "broken.docx").write_bytes(b"")  # named a document: tried, and reported
    (folder / "data.json").write_text("{}", "utf-8")
    (folder / ".git" / "config.txt").write_text("x", "utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    (folder / "таблица.zip").write_bytes(buffer.getvalue())
    from PIL import Image

    Image.new("L", (40, 40), 255).save(folder / "страница", format="PNG")
    collected = collect_documents([folder])
    assert sorted(d.path.name for d in collected.documents) == ["broken.docx", "приказ.bin", "приказ.txt", "скан без окончания", "страница"]
    assert sorted(p.name for p in collected.passed_over) == ["data.json", "таблица.zip"]


def test_nothing_to_check_has_its_own_status(tmp_path):
    (tmp_path / "notes.json").write_text("{}", "utf-8")
    result = roadmap("validate", tmp_path)
    assert result.returncode == 3 and "документов не найдено" in err(result)


def test_standard_input_is_read_as_a_file():
    data = CLEAN.read_bytes()
    extracted = roadmap("extract", "-", stdin=data)
    assert extracted.returncode == 0 and json.loads(out(extracted))["roadmaps"]
    checked = roadmap("validate", "-", stdin=WITH_ERRORS.read_bytes())
    assert checked.returncode == 1 and out(checked).startswith("-:")
    empty = roadmap("extract", "-", stdin=b"")
    assert empty.returncode == 2 and err(empty).strip() == "roadmap: -: на стандартном вводе ничего нет"


def test_a_folder_given_to_extract_points_to_batch(tmp_path):
    result = roadmap("extract", tmp_path)
    assert result.returncode == 2 and f"roadmap batch {tmp_path} --out" in err(result)


def test_an_unreadable_file_is_reported_once(tmp_path):
    result = roadmap("validate", tmp_path / "нет.pdf")
    assert result.returncode == 2
    said = out(result) + err(result)
    assert said.count("файл не найден") == 1


# -- outputs -------------------------------------------------------------------


def test_render_takes_the_format_from_the_name_and_refuses_a_mismatch(tmp_path):
    source = tmp_path / "приказ.json"
    assert roadmap("extract", CLEAN, "-o", source).returncode == 0
    assert roadmap("render", source, "-o", tmp_path / "r.md").returncode == 0
    markdown = (tmp_path / "r.md").read_text("utf-8")
    assert "**РАСПОРЯЖЕНИЕ**" in markdown and "\n| " in markdown  # the kind in bold, the roadmap as a table
    mismatch = roadmap("render", source, "--to", "docx", "-o", tmp_path / "r2.pdf")
    assert mismatch.returncode == 2 and not (tmp_path / "r2.pdf").exists()
    assert "имя файла говорит PDF, а --to docx" in err(mismatch)
    unknown = roadmap("render", source, "-o", tmp_path / "r3.txt")
    assert unknown.returncode == 2 and "формат не ясен из имени" in err(unknown)


def test_default_output_names_never_take_the_sources(tmp_path):
    shutil.copy(CLEAN, tmp_path / "приказ.txt")
    assert roadmap("extract", "приказ.txt", "-o", "приказ.json", cwd=tmp_path).returncode == 0
    rendered = roadmap("render", "приказ.json", cwd=tmp_path)
    assert rendered.returncode == 0 and (tmp_path / "приказ-очищенный.docx").exists()
    book = roadmap("extract", "приказ.txt", "--format", "xlsx", cwd=tmp_path)
    assert book.returncode == 0 and (tmp_path / "приказ-данные.xlsx").exists()
    assert "записано: приказ-данные.xlsx" in err(book)


def test_a_busy_port_is_one_line(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = roadmap("serve", "--port", taken.getsockname()[1])
    assert result.returncode == 2
    lines = err(result).strip().splitlines()
    assert len(lines) == 1 and "адрес занят" in lines[0] and "Traceback" not in err(result)


def test_schema_errors_are_russian(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"source": {}, "extra": 1}', "utf-8")
    text = err(roadmap("render", broken, "-o", tmp_path / "x.docx"))
    assert "лишнее поле" in text and "обязательное поле отсутствует" in text
    assert "Field required" not in text and "Extra inputs" not in text


def test_an_image_without_tesseract_is_called_an_image(tmp_path):
    from PIL import Image

    page = tmp_path / "страница.png"
    Image.new("L", (200, 200), 255).save(page)
    bare = tmp_path / "bin"
    bare.mkdir()
    # A PATH of one empty folder: no Tesseract on it.
    result = subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", "extract", str(page)],
                            capture_output=True, env={**os.environ, "PATH": str(bare)}, timeout=120)
    text = err(result)
    assert result.returncode == 2 and "это изображение страницы; для распознавания установите Tesseract" in text
    assert "PDF" not in text


def test_the_upload_form_offers_page_images():
    from pipeline.web import create_app

    page = create_app(max_upload_mb=1).test_client().get("/").data.decode()
    accept = re.search(r'accept="([^"]+)"', page).group(1).split(",")
    assert {".png", ".jpg", ".tif", ".pdf", ".docx"} <= set(accept)
