"""Documents and outputs named by fsspec URLs: one document's work done on a
store that is not this machine's disk (fsspec's in-memory store stands for
s3:// here), in this process."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests.conftest import CORPUS

fsspec = pytest.importorskip("fsspec")

from pipeline import storage  # noqa: E402
from pipeline.batch import Work, perform  # noqa: E402
from pipeline.errors import InputError  # noqa: E402
from pipeline.limits import limits, use_limits  # noqa: E402

ORDER = CORPUS / "documents" / "smolensk-prikaz-718-od.txt"


@pytest.fixture
def store():
    fs = fsspec.filesystem("memory")
    fs.pipe_file("/roadmap-test/in/приказ.txt", ORDER.read_bytes())
    yield "memory://roadmap-test"
    fs.rm("/roadmap-test", recursive=True)


def test_a_document_on_a_store_is_read_and_its_outputs_written_there(store, tmp_path):
    source = f"{store}/in/приказ.txt"
    targets = (f"{store}/out/приказ.txt.json", f"{store}/out/приказ.txt.csv")
    outcome = perform(Work(source, targets, True))
    assert outcome.status == "ok" and outcome.items == 39 and outcome.findings["error"] == 3
    order = json.loads(storage.read_bytes(targets[0]))
    assert order["source"]["path"] == source  # the URL, not the copy it was read from
    local = perform(Work(str(ORDER), (str(tmp_path / "o.json"), str(tmp_path / "o.csv")), True))
    assert storage.read_bytes(targets[1]) == (tmp_path / "o.csv").read_bytes()
    order["source"]["path"] = str(ORDER)
    assert order == json.loads((tmp_path / "o.json").read_bytes())
    assert local.rows == outcome.rows
    assert storage.modified(targets[0]) is not None and storage.size(source) == ORDER.stat().st_size


def test_a_missing_or_too_large_document_on_a_store_is_one_line(store):
    with pytest.raises(InputError) as missing:
        perform(Work(f"{store}/in/нет.txt", (f"{store}/out/нет.txt.json",), False))
    assert (missing.value.path, missing.value.reason) == (f"{store}/in/нет.txt", "файл не найден")
    before = limits()
    use_limits(replace(before, max_file_mb=0.001))
    try:
        with pytest.raises(InputError, match=r"файл слишком велик: 0 МБ \(предел 0.001 МБ, ROADMAP_MAX_FILE_MB\)"):
            perform(Work(f"{store}/in/приказ.txt", (f"{store}/out/приказ.txt.json",), False))
    finally:
        use_limits(before)
    assert not storage.is_dir(f"{store}/out") or not fsspec.filesystem("memory").find("/roadmap-test/out")
