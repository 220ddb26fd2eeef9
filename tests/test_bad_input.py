"""Bad input never crashes: one clear line on stderr, exit status 2, no output
file — or, for the big table, a correct result.  Every fixture is generated."""

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import CORPUS

FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]


def extract(path: Path, out: Path):
    return subprocess.run(
        [sys.executable, "-c", "from pipeline.cli import run; run()", "extract", str(path), "-o", str(out)],
        capture_output=True, text=True,
    )


def minimal_docx(document_xml: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def zip_bomb(path: Path) -> None:
    """A «DOCX» whose document part inflates to 300 MB of zeros, written in
    chunks so the test stays small in memory."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):
                member.write(chunk)


XXE = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    "<w:p><w:r><w:t>ПРИКАЗ &xxe;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    corpus_pdf = (CORPUS / "documents" / "smolensk-prikaz-718-od.pdf").read_bytes()
    (d / "truncated.pdf").write_bytes(corpus_pdf[: len(corpus_pdf) // 3])
    shutil.copy(Path(__file__).parent / "fixtures" / "pdf" / "encrypted.pdf", d / "encrypted.pdf")
    (d / "empty.docx").write_bytes(b"")
    with zipfile.ZipFile(d / "notes.docx", "w") as z:
        z.writestr("notes.txt", "это не документ Word")
    (d / "xxe.docx").write_bytes(minimal_docx(XXE))
    zip_bomb(d / "bomb.docx")
    (d / "program.pdf").write_bytes(Path(sys.executable).resolve().read_bytes()[:65536])
    return d


@pytest.mark.parametrize(
    "name,reason",
    [
        ("truncated.pdf", "PDF"),
        ("encrypted.pdf", "зашифрован"),
        ("empty.docx", "пуст"),
        ("notes.docx", "DOCX"),
        ("xxe.docx", "DOCX"),
        ("bomb.docx", "ZIP-бомба"),
        ("program.pdf", "программа"),
    ],
)
def test_bad_input_one_line_status_2_no_output(bad_files, tmp_path, name, reason):
    out = tmp_path / "out.json"
    result = extract(bad_files / name, out)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert name in line and reason in line
    assert "root:" not in result.stderr + result.stdout
    assert not out.exists() and list(tmp_path.iterdir()) == []


def big_table_pdf(path: Path, rows: int) -> None:
    from fpdf import FPDF

    font = next((f for f in FONTS if Path(f).exists()), None)
    if font is None:
        pytest.skip("no TrueType font with Cyrillic found")
    pdf = FPDF(format="A4")
    pdf.add_font("Body", "", font)
    pdf.add_font("Body", "B", font)  # table headings are bold; the regular face will do
    pdf.set_font("Body", size=11)
    pdf.add_page()
    for line in ("ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ", "ПРИКАЗ"):
        pdf.cell(0, 8, line, align="C", new_x="LMARGIN", new_y="NEXT")
    for line in ("от 01.09.2021 № 100", "Об утверждении плана мероприятий", "1. Утвердить план мероприятий (Приложение).", "Начальник департамента И.И. Иванов"):
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.cell(0, 8, "Приложение к приказу от 01.09.2021 № 100", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Body", size=9)
    with pdf.table(col_widths=(12, 90, 40, 48), repeat_headings=1) as table:
        header = table.row()
        for text in ("№", "Мероприятие", "Срок", "Ответственный"):
            header.cell(text)
        for i in range(1, rows + 1):
            row = table.row()
            for text in (f"{i}.", f"Мероприятие номер {i} по поддержке школ", "октябрь 2021 г.", "ОО"):
                row.cell(text)
    pdf.output(str(path))


def test_pdf_with_2000_table_rows_gives_every_row(tmp_path):
    import json

    source = tmp_path / "big.pdf"
    big_table_pdf(source, 2000)
    out = tmp_path / "big.json"
    result = extract(source, out)
    assert result.returncode == 0, result.stderr
    [roadmap] = json.loads(out.read_text("utf-8"))["roadmaps"]
    numbers = [item["number"] for item in roadmap["items"]]
    assert numbers == [f"{i}." for i in range(1, 2001)]
    assert all(item["deadline"]["start"] == "2021-10-01" for item in roadmap["items"])
