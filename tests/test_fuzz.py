"""The fuzzing harness (``tests/fuzz.py``), bounded for CI: a fixed seed,
mutants of every corpus TXT, DOCX and PDF, each held to the contract — exit
0 or 2, no traceback, one stderr line naming the file on failure, nothing
left behind, memory under the cap."""

from tests import fuzz

COUNT = 150


def test_mutants_keep_the_contract():
    result = fuzz.run(COUNT, seed=20261201, jobs=2)
    print(f"fuzz: tried {result.tried}, exit 0 {result.exits[0]}, exit 2 {result.exits[2]}, peak {result.peak_mb:.0f} MB, {result.seconds:.0f} s")
    assert result.tried == COUNT
    assert result.exits[0] + result.exits[2] == COUNT
    assert result.exits[0] > 0 and result.exits[2] > 0  # the mutants reach both outcomes
    assert not result.problems, "\n".join(result.problems[:20])
