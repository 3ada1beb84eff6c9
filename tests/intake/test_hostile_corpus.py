"""The corpus of broken and hostile files (tests/hostile/): each through ``python -m lingyi ingest`` on a fresh store.

None crashes, none leaves anything of itself behind when refused, and every message names its file. An accepted
file comes back from the export as the text it holds, never as a formula; a refused one is offered its error list,
and its marked copy only where ``expected.csv`` says the file was read (never for a file refused as unsafe or
unreadable), an .xlsx without macros and without a formula the unit did not write. The whole corpus in one run
reports every file, whatever the files before it did.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path, PurePath

import openpyxl
import pytest
from hostile.make_corpus import BIG, EXPECTED, FILES, FORMULA_TEXTS, SMALL, make_big

from lingyi.__main__ import main
from lingyi.intake import desk, ticket_files
from lingyi.intake.files import ACCEPTED_SUFFIXES
from lingyi.store import sha256
from lingyi.workbooks import XLSX_MIME, is_formula_like

with EXPECTED.open(encoding="utf-8") as listed:
    CASES = list(csv.DictReader(listed))
REJECTED = [c for c in CASES if c["outcome"] == "rejected"]
# The files whose activity names start as formulas do (= + - @, tab, CR): read, those names are kept as text.
FORMULA_TEXT_FILES = {"公式开头文本.xlsx", "公式开头文本有错误.csv"}
FORMULA_NAMES = {text.strip() for text in FORMULA_TEXTS}  # the reader trims the tab and the carriage return


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
    assert {c["marked_copy"] for c in REJECTED} == {"none", "xlsx"}  # each refused file says whether it gets one
    assert {c["marked_copy"] for c in CASES if c["outcome"] == "accepted"} == {""}
    assert {c["file"] for c in CASES} >= FORMULA_TEXT_FILES


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_hostile_file_gets_its_outcome_names_itself_and_a_refused_one_leaves_nothing(
    case, store, registry, capsys, big_files
):
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
        exported = desk.export_all(store, desk.history_table(store.history(), registry))
        assert_no_formula_but_the_units_own(exported, None)
        if name in FORMULA_TEXT_FILES:
            assert texts(exported) >= FORMULA_NAMES


def cells(data: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def texts(data: bytes) -> set[str]:
    return {cell.value for cell in cells(data) if isinstance(cell.value, str)}


def formulas(data: bytes) -> set[tuple[str, str]]:
    """(sheet, cell) of each formula in an .xlsx or .xlsm."""
    return {(cell.parent.title, cell.coordinate) for cell in cells(data) if cell.data_type == "f"}


def assert_no_formula_but_the_units_own(data: bytes, original: tuple[str, bytes] | None) -> None:
    """A workbook the app hands out: an .xlsx with no macros, no formula but those of the unit's own ``original``
    (name, bytes) workbook, and every text that starts as a formula does saved as quoted text."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not [n for n in archive.namelist() if "vba" in n.lower()], archive.namelist()
        assert b"macroEnabled" not in archive.read("[Content_Types].xml")
        assert b"vbaProject" not in b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".rels"))
    own = set()
    if original is not None and PurePath(original[0]).suffix in (".xlsx", ".xlsm"):
        own = formulas(original[1])
    assert formulas(data) <= own
    written = [c for c in cells(data) if is_formula_like(c.value) and (c.parent.title, c.coordinate) not in own]
    assert all(c.data_type == "s" and c.quotePrefix for c in written), [c.value for c in written if not c.quotePrefix]


@pytest.mark.parametrize("case", REJECTED, ids=[c["file"] for c in REJECTED])
def test_a_refused_file_is_offered_its_error_list_and_a_marked_copy_only_if_it_was_read(
    case, store, registry, monkeypatch, big_files
):
    """The upload page's two downloads: the error list always; the marked copy of a file that was read, and no
    marked copy built at all of one refused unread (a compression bomb is not inflated again to copy it)."""
    name = case["file"]
    data = (big_files / name if name in BIG else FILES / name).read_bytes()
    built, build = [], desk.marked_file

    def marked_file(data: bytes, name: str, findings):
        built.append(name)
        return build(data, name, findings)

    monkeypatch.setattr(desk, "marked_file", marked_file)

    checked = desk.check_upload(data, name, registry=registry, store=store)

    assert checked.verdict is desk.Verdict.ERRORS
    listed = checked.error_list()
    assert any(case["message"] in str(finding) for finding in checked.errors), [str(f) for f in checked.errors]
    assert {finding.message for finding in checked.errors} <= texts(listed)
    assert_no_formula_but_the_units_own(listed, None)
    if case["marked_copy"] == "none":
        assert checked.marked is None
        assert built == []
        return
    marked = checked.marked
    assert built == [name]
    assert (marked.name, marked.mime) == (f"{PurePath(name).stem}_错误标注.xlsx", XLSX_MIME)
    assert_no_formula_but_the_units_own(marked.data, (name, data))
    if name in FORMULA_TEXT_FILES:
        assert texts(marked.data) >= set(FORMULA_TEXTS)  # the unit's cells as they were, each made safe


def test_the_whole_corpus_in_one_run_reports_every_file_whatever_the_files_before_it_did(store, capsys, big_files):
    """One ingest of both folders: a refused file (an overflowing count, a bomb …) never stops the files after it.
    An accepted file may come out 无变化 here, its data being that of an earlier one."""
    expected = {c["file"]: c for c in CASES if PurePath(c["file"]).suffix in ACCEPTED_SUFFIXES}
    capsys.readouterr()

    code = main(["ingest", str(FILES), str(big_files), "--db", store.url])

    out = capsys.readouterr().out
    assert code == 1
    assert "程序内部错误" not in out
    reported = [
        line.split()[:2] for line in out.splitlines() if line.split()[:1] in (["accepted"], ["rejected"], ["unchanged"])
    ]
    assert sorted(name for _, name in reported) == sorted(expected)
    for outcome, name in reported:
        assert outcome == expected[name]["outcome"] or (outcome, expected[name]["outcome"]) == ("unchanged", "accepted")
        if outcome == "rejected":
            assert any(
                line.startswith(f"错误：文件「{name}」") and expected[name]["message"] in line
                for line in out.splitlines()
            ), name
    rejected = sum(outcome == "rejected" for outcome, _ in reported)
    accepted = sum(outcome == "accepted" for outcome, _ in reported)
    assert (
        out.splitlines()[-1]
        == f"共 {len(expected)} 个文件：入库 {accepted}，无变化 {len(expected) - accepted - rejected}，拒收 {rejected}。"
    )
    assert set(store.history()["file"]) == {name for outcome, name in reported if outcome == "accepted"}


def test_a_million_styled_empty_rows_are_read_as_no_data(big_files):
    """Formatting a column down to the sheet's last row saves 1,048,576 empty rows: read cheaply, they are no
    data and no threat (they once took the reader to its 疑似恶意文件 refusal)."""
    from lingyi.intake import reading

    data = (big_files / "百万空行带格式.xlsx").read_bytes()
    assert len(data) > 1024**2  # a million rows, made small by compression
    read = reading.read_file(data, "百万空行带格式.xlsx")
    assert [(t.sheet, len(t.rows)) for t in read.tables] == [("学习活动", 3)]


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
