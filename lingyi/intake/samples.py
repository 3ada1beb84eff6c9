"""The sample year (``sample_data/returns``) loaded into a store: what ``init --sample`` and the demo's
「载入示例数据」 button both run, so the two can never load different things."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lingyi.intake.files import ACCEPTED_SUFFIXES
from lingyi.intake.ingest import IngestResult, Outcome, Upload, ingest_files
from lingyi.store import Store

SAMPLE_RETURNS = Path(__file__).resolve().parent.parent.parent / "sample_data" / "returns"


def natural_key(path: Path) -> list[object]:
    """「截至2025年6月」 before 「截至2025年10月」: numbers in names compare as numbers, so later returns load later."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", str(path))]


def return_files(folder: Path) -> list[Path]:
    """The return files inside a folder, in name order; Office's lock files (~$…) and hidden files left out."""
    return [
        path
        for path in sorted(folder.rglob("*"), key=natural_key)
        if path.is_file() and path.suffix.lower() in ACCEPTED_SUFFIXES and not path.name.startswith(("~$", "."))
    ]


@dataclass(frozen=True)
class SampleLoad:
    results: list[IngestResult]

    @property
    def rejected(self) -> list[IngestResult]:
        return [r for r in self.results if r.outcome is Outcome.REJECTED]

    @property
    def accepted(self) -> int:
        return sum(r.outcome is Outcome.ACCEPTED for r in self.results)

    @property
    def unchanged(self) -> int:
        return len(self.results) - self.accepted - len(self.rejected)


def load_samples(store: Store, folder: Path | None = None) -> SampleLoad:
    """Every sample return into ``store``, each stamped with when it would have arrived (so 报送情况 shows on-time
    and late months as in a real year); the offices that send no 12345 figures are marked exempt, as an admin would,
    so they are not chased."""
    from sample_data.receipt import received_at

    files: Iterable[Path] = return_files(folder or SAMPLE_RETURNS)
    registry = store.registry()
    uploads = (Upload(path.read_bytes(), path.name, received_at(path)) for path in files)
    load = SampleLoad(list(ingest_files(store, uploads, registry=registry, user="sample")))
    sending = set(store.submissions().query("kind == 'hotline'")["unit"])
    quiet = [unit.name for unit in registry.units if unit.name not in sending]
    if quiet and not load.rejected:
        store.set_exempt(quiet, "hotline", True, user="sample")
    return load
