"""The corpus of broken and hostile files (tests/hostile/): each through ``python -m lingyi ingest`` on a fresh store.

None crashes, none leaves anything of itself behind when refused, and every message names its file.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hostile.make_corpus import BIG, EXPECTED, FILES, SMALL, make_big

from lingyi.__main__ import main
from lingyi.intake import ticket_files
from lingyi.store import sha256

with EXPECTED.open(encoding="utf-8") as listed:
    CASES = list(csv.DictReader(listed))


@pytest.fixture(autouse=True)
def row_cap(monkeypatch):
    """The corpus is judged with a row cap of 200,000, as a city deployment on a shared server might set it."""
    monkeypatch.setenv("LINGYI_MAX_ROWS", "200000")


@pytest.fixture(scope="module")
def big_files(tmp_path_factory) -> Path:
    """The big files (zip bombs, a million rows, over the size cap), made once for the module."""
    folder = tmp_path_factory.mktemp("hostile-big")
    make_big(folder)
    return folder


def test_the_corpus_has_forty_files_or_more_each_with_its_expected_outcome():
    assert len(CASES) >= 40
    assert [c["file"] for c in CASES] == list(dict.fromkeys(c["file"] for c in CASES))  # each file once
    assert {c["file"] for c in CASES} == set(SMALL) | set(BIG)
    assert {p.name for p in FILES.iterdir()} == set(SMALL)
    assert {c["outcome"] for c in CASES} == {"accepted", "rejected"}
    assert all(c["message"] for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_hostile_file_gets_its_outcome_names_itself_and_a_refused_one_leaves_nothing(case, store, capsys, big_files):
    name = case["file"]
    path = big_files / name if name in BIG else FILES / name
    history, version, audit = store.history(), store.data_version(), store.audit_log()
    capsys.readouterr()

    code = main(["ingest", str(path), "--verbose", "--db", store.url])

    out, err = capsys.readouterr()
    assert (err, "程序内部错误" in out) == ("", False)
    lines = out.splitlines()
    assert lines[0].startswith(f"{case['outcome']:<9} {name}  ")
    if case["outcome"] == "rejected":
        assert code == 1
        assert any(line.startswith(f"错误：文件「{name}」") and case["message"] in line for line in lines), out
        assert store.history().equals(history)
        assert store.data_version() == version
        assert store.audit_log().equals(audit)
        assert store.file_by_hash(sha256(path.read_bytes())) is None
    else:
        assert code == 0
        assert case["message"] in out
        assert store.data_version() == version + 1
        assert list(store.history()["file"].unique()) == [name]
        assert store.original(int(store.history()["file_id"][0])) == (name, path.read_bytes())


@pytest.mark.parametrize(
    "name", [c["file"] for c in CASES if c["file"].endswith((".xlsx", ".xlsm"))], ids=lambda name: name
)
def test_a_sheet_inflated_ahead_in_a_thread_reads_and_is_refused_as_one_read_through_zipfile(
    name, monkeypatch, big_files
):
    """Big sheets are inflated a piece ahead in a thread: every workbook of the corpus, so read, gives the very
    findings, or the very refusal, it gives read the ordinary way."""
    from lingyi.errors import FileRejected
    from lingyi.intake import files, reading

    data = (big_files / name if name in BIG else FILES / name).read_bytes()

    def outcome():
        try:
            read = reading.read_file(data, name)
        except FileRejected as refused:
            return ("rejected", refused.finding.message)
        return ("read", [(t.kind.key, t.sheet, len(t.rows)) for t in read.tables], [f.message for f in read.findings])

    ordinary = outcome()
    monkeypatch.setattr(files, "READ_AHEAD_FROM_BYTES", 0)
    assert outcome() == ordinary


@pytest.mark.parametrize(
    "name", [c["file"] for c in CASES if c["file"].endswith((".xlsx", ".xlsm"))], ids=lambda name: name
)
def test_a_workbook_the_ticket_sniff_looked_into_reads_and_is_refused_as_one_read_afresh(name, big_files):
    """The sniff and the reader share a workbook's zip and the sheets read whole: every workbook of the corpus gives
    the very findings, or the very refusal, it gives read on its own."""
    from lingyi.errors import FileRejected
    from lingyi.intake import reading

    data = (big_files / name if name in BIG else FILES / name).read_bytes()

    def outcome(opened):
        try:
            read = reading.read_file(data, name, opened=opened)
        except FileRejected as refused:
            return ("rejected", refused.finding.message)
        return ("read", [(t.kind.key, t.sheet, t.rows) for t in read.tables], [f.message for f in read.findings])

    opened = reading.WorkbookZip(data)
    sniffed = ticket_files.sniff(data, name, opened)
    assert sniffed == ticket_files.sniff(data, name)
    assert outcome(opened) == outcome(None)
