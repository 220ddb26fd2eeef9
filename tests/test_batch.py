"""`roadmap batch`: good documents converted, bad ones named in one line
each, exit 1, no traceback; a combined workbook; a rerun skips what is done."""

import os
import shutil
import subprocess
import sys

import openpyxl

from tests.conftest import CORPUS


def batch(*args):
    env = {**os.environ, "CI": "1"}
    return subprocess.run([sys.executable, "-c", "from pipeline.cli import run; run()", "batch", *map(str, args)], capture_output=True, text=True, env=env)


def test_batch(tmp_path):
    docs = tmp_path / "in"
    docs.mkdir()
    for name in ("smolensk-prikaz-718-od.docx", "nao-rasporyazhenie-454-r.txt"):
        shutil.copy(CORPUS / "documents" / name, docs / name)
    pdf = (CORPUS / "documents" / "smolensk-prikaz-718-od.pdf").read_bytes()
    (docs / "truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
    (docs / "empty.docx").write_bytes(b"")
    (docs / "program.pdf").write_bytes(b"\x7fELF" + b"\0" * 100)
    out = tmp_path / "out"
    result = batch(docs, "--out", out, "--format", "json,xlsx,csv", "--validate", "--jobs", "2")
    assert result.returncode == 2  # documents unread (README, «Коды выхода»)
    assert "Traceback" not in result.stderr
    failed = [line for line in result.stderr.splitlines() if line.startswith("[") and "не прочитан:" in line]
    assert len(failed) == 3 and all(any(n in line for line in failed) for n in ("truncated.pdf", "empty.docx", "program.pdf"))
    assert {p.name for p in out.iterdir()} >= {
        "smolensk-prikaz-718-od.docx.json", "smolensk-prikaz-718-od.docx.xlsx", "smolensk-prikaz-718-od.docx.csv",
        "nao-rasporyazhenie-454-r.txt.json", "combined.xlsx",
    }
    sheet = openpyxl.load_workbook(out / "combined.xlsx")["Все пункты"]
    assert sheet.max_row - 1 == 39 + 28  # every item of every document
    again = batch(docs, "--out", out, "--format", "json,xlsx,csv")
    assert again.stderr.count("пропущен (актуален)") == 2
