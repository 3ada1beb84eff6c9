"""The registry of units (单位名录): normalisation and matching of unit names (spec §1)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from lingyi.contract import CATEGORIES, SHEET_KIND_BY_KEY, SHEET_KINDS
from lingyi.errors import Finding, Level, RegistryError, UnknownName
from lingyi.values import decode_text

DEFAULT_REGISTRY = Path(__file__).parent / "data" / "units.csv"
REGISTRY_COLUMNS = ("单位全称", "单位简称", "单位类别", "别名")
# Optional fifth column (spec §5): the sheet kinds a unit does not send (不涉及), by name, 「;」-separated.
EXEMPT_COLUMN = "不报送"

_SPACES = re.compile(r"\s+")
_KIND_ORDER = [kind.key for kind in SHEET_KINDS]
_KIND_BY_NAME = {kind.name: kind.key for kind in SHEET_KINDS}


def normalise(text: object) -> str:
    """Trim, drop inner spaces, full-width to half-width; 「（）」 becomes 「()」 by the same step."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    return _SPACES.sub("", folded)


@dataclass(frozen=True)
class Unit:
    name: str  # 单位全称, the key everywhere
    short_name: str
    category: str
    aliases: tuple[str, ...]
    # Sheet kinds (keys) the unit is 不涉及 for (spec §5): neither expected nor chased.
    exempt: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        """How a person recognises the unit: short name with the full name beside it."""
        return f"{self.short_name}（{self.name}）"


class Registry:
    def __init__(self, units: list[Unit]):
        self.units = units
        self.by_name = {unit.name: unit for unit in units}
        self._index: dict[str, Unit] = {}
        self._written: dict[str, str] = {}  # normalised name → the name as the registry writes it
        for unit in units:
            for name in (unit.name, unit.short_name, *unit.aliases):
                self._index.setdefault(normalise(name), unit)
                self._written.setdefault(normalise(name), name)

    def __len__(self) -> int:
        return len(self.units)

    def match(self, name: object) -> Unit | None:
        return self._index.get(normalise(name))

    def resolve(self, name: object) -> Unit:
        unit = self.match(name)
        if unit is None:
            raise UnknownName(str(name).strip(), self.suggest(name))
        return unit

    def suggest(self, name: object, limit: int = 3) -> list[str]:
        """The closest registry units for a name that did not match, one per unit.

        Each is the registry name closest to what was written, with the full name beside it
        (「市人社局（临沂市人力资源和社会保障局）」, spec §1); a full name stands alone.
        """
        query = normalise(name)
        if not query:
            return []
        keys = list(self._index)
        found: dict[str, str] = {}
        for key, _score, _ in process.extract(query, keys, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=50):
            unit = self._index[key]
            if unit.name not in found:
                written = self._written[key]
                found[unit.name] = unit.name if written == unit.name else f"{written}（{unit.name}）"
            if len(found) == limit:
                break
        return list(found.values())

    def units_in(self, categories: list[str] | None = None, names: list[str] | None = None) -> list[Unit]:
        chosen = self.units
        if categories:
            chosen = [u for u in chosen if u.category in categories]
        if names:
            wanted = {self.resolve(n).name for n in names}
            chosen = [u for u in chosen if u.name in wanted]
        return chosen

    @cached_property
    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "unit": [u.name for u in self.units],
                "short_name": [u.short_name for u in self.units],
                "category": pd.Categorical([u.category for u in self.units], categories=CATEGORIES, ordered=True),
                "aliases": ["；".join(u.aliases) for u in self.units],
                "exempt": [u.exempt for u in self.units],
            }
        )

    def to_csv_bytes(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        with_exempt = any(u.exempt for u in self.units)
        writer.writerow([*REGISTRY_COLUMNS, EXEMPT_COLUMN] if with_exempt else REGISTRY_COLUMNS)
        for u in self.units:
            row = [u.name, u.short_name, u.category, ";".join(u.aliases)]
            if with_exempt:
                row.append(";".join(SHEET_KIND_BY_KEY[k].name for k in sorted(u.exempt, key=_KIND_ORDER.index)))
            writer.writerow(row)
        return out.getvalue().encode("utf-8")

    def with_exempt(self, unit_name: str, kind: str, exempt: bool) -> Registry:
        """The same registry with ``unit_name`` marked 不涉及 ``kind`` (or no longer)."""
        units = [
            replace(u, exempt=(u.exempt | {kind}) if exempt else (u.exempt - {kind})) if u.name == unit_name else u
            for u in self.units
        ]
        return Registry(units)


def parse_registry(data: bytes, file_name: str = "units.csv") -> Registry:
    """Read and check a registry file (UTF-8 or GBK CSV with the four columns); every problem is reported."""
    text = decode_text(data)
    if text is None:
        raise RegistryError([Finding(Level.ERROR, "units.csv", "无法识别名录文件的编码，请另存为 UTF-8 CSV。")])
    rows = list(csv.reader(io.StringIO(text)))
    findings: list[Finding] = []

    def error(message: str, row: int | None = None, value: str | None = None) -> None:
        findings.append(Finding(Level.ERROR, file_name, message, row=row, value=value))

    if not rows:
        raise RegistryError([Finding(Level.ERROR, file_name, "名录文件是空的。")])
    header = [normalise(h) for h in rows[0]]
    positions = {}
    for name in REGISTRY_COLUMNS:
        if name not in header:
            error(f"缺少列「{name}」；名录须有四列：{'、'.join(REGISTRY_COLUMNS)}。", row=1)
        else:
            positions[name] = header.index(name)
    if findings:
        raise RegistryError(findings)

    if EXEMPT_COLUMN in header:
        positions[EXEMPT_COLUMN] = header.index(EXEMPT_COLUMN)
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in positions.items()}
        exempt = set()
        for kind_name in re.split(r"[;；,，、]", cells.get(EXEMPT_COLUMN, "")):
            kind_name = normalise(kind_name)
            if not kind_name:
                continue
            kind = _KIND_BY_NAME.get(kind_name)
            if kind is None:
                error(
                    f"「{EXEMPT_COLUMN}」列只能填报表种类：{'、'.join(_KIND_BY_NAME)}（多个用分号隔开）。",
                    row=number,
                    value=kind_name,
                )
                continue
            exempt.add(kind)
        if not cells["单位全称"] or not cells["单位简称"]:
            error("单位全称和单位简称都必须填写。", row=number)
            continue
        if cells["单位类别"] not in CATEGORIES:
            error(f"单位类别须为：{'、'.join(CATEGORIES)}。", row=number, value=cells["单位类别"])
            continue
        aliases = tuple(a.strip() for a in re.split(r"[;；]", cells["别名"]) if a.strip())
        unit = Unit(cells["单位全称"], cells["单位简称"], cells["单位类别"], aliases, frozenset(exempt))
        for name in (unit.name, unit.short_name, *aliases):
            key = normalise(name)
            if key in seen and seen[key] != number:
                error(f"名称「{name}」与第{seen[key]}行重复，一个名称只能指向一个单位。", row=number, value=name)
            seen.setdefault(key, number)
        units.append(unit)
    if not units and not findings:
        error("名录中没有任何单位。")
    if findings:
        raise RegistryError(findings)
    return Registry(units)


def default_registry() -> Registry:
    return parse_registry(DEFAULT_REGISTRY.read_bytes(), DEFAULT_REGISTRY.name)


def categories_or_error(names: list[str]) -> list[str]:
    for name in names:
        if name not in CATEGORIES:
            suggestions = [c for c in CATEGORIES if fuzz.ratio(c, name) >= 50]
            raise UnknownName(name, suggestions, what="单位类别")
    return names
