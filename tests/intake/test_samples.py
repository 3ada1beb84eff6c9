"""The sample year as ``init --sample`` and the demo's 「载入示例数据」 load it."""

from __future__ import annotations

from factories import UNIT, hotline_rows, learning_rows, write_workbook

from lingyi.intake import samples
from lingyi.store import Store


def test_return_files_come_in_period_order_with_office_lock_files_left_out(tmp_path):
    for name in ("截至2025年10月.xlsx", "截至2025年6月.xlsx", "~$截至2025年6月.xlsx", ".hidden.xlsx", "说明.docx"):
        (tmp_path / name).write_bytes(b"")
    assert [path.name for path in samples.return_files(tmp_path)] == ["截至2025年6月.xlsx", "截至2025年10月.xlsx"]


def test_loading_stores_every_file_and_marks_the_units_without_hotline_figures_exempt(tmp_path):
    folder = tmp_path / "returns"
    write_workbook(
        folder / f"{UNIT}2025年3月.xlsx",
        {
            "学习活动": learning_rows(3, unit=UNIT, month=202503),
            "热线指标": hotline_rows((202501, 202502, 202503), units=(UNIT,), prior=True),
        },
    )
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    load = samples.load_samples(store, folder)
    assert (load.accepted, load.unchanged, load.rejected) == (1, 0, [])
    registry = store.registry()
    assert "hotline" not in registry.resolve(UNIT).exempt
    assert sum("hotline" in unit.exempt for unit in registry.units) == len(registry) - 1
    assert samples.load_samples(store, folder).unchanged == 1
