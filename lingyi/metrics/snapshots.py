"""会议版: a scope's figures frozen as they were shown at a meeting, and what has moved since.

A snapshot records the scope (year, through-month, categories, units), every submission that was live
when it was frozen *with the seq it had then*, the registry and 在职人数 of that moment, and the figures
(``metrics.summary``) it showed. Rows are never changed and files never removed (see ``lingyi.store``), so
the dataset of a snapshot is worked out again at any time from exactly those submission versions, by the
store's own rule of which version counts. A later upload, restore or withdrawal changes seqs and the
``deleted`` flag of submissions, never a snapshot's recorded seqs: the snapshot shows what it showed.

``compare`` sets a snapshot's figures beside today's for the same scope, and lists the submissions that
count now but did not then, or the other way round (unit, file, version), for the sheet kinds whose
figures moved.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from lingyi import metrics
from lingyi.contract import DEFAULT_HOTLINE_SOURCE
from lingyi.errors import StoreError
from lingyi.registry import Registry, default_registry, parse_registry
from lingyi.store import (
    Store,
    kind_name,
    now,
    registries_table,
    snapshot_submissions_table,
    snapshots_table,
    submissions_table,
)
from lingyi.values import Period

MAX_NAME = 64
LIVE_NAME = "当前数据"  # what the pages call the live store; no snapshot may take it
SUBMISSION_COLUMNS = ["id", "seq", "unit", "kind", "period_start", "period_end", "created_at", "file_id", "source"]

# The figures of ``metrics.summary`` as a comparison names them; a key not listed here is shown as it is.
SECTION_NAMES = {
    "units": "报送",
    "learning": "学习活动",
    "hotline": "12345热线",
    "problems": "问题化解",
    "indicators": "指标完成",
}
FIGURE_NAMES = {
    "registered": "名录单位",
    "reporting": "报送单位",
    "activities": "学习活动（项）",
    "sessions": "学习期数",
    "lectures": "学习节数",
    "person_times": "参与人次",
    "appeals": "诉求量（件）",
    "appeals_prev": "上年同期诉求量（件）",
    "appeals_yoy_pct": "诉求量同比（%）",
    "first_time_rate_pct": "一次性办好率（%）",
    "first_time_rate_prev_pct": "上年同期一次性办好率（%）",
    "first_time_rate_pp": "一次性办好率变化（百分点）",
    "resolution_rate_pct": "问题解决率（%）",
    "resolution_rate_prev_pct": "上年同期问题解决率（%）",
    "resolution_rate_pp": "问题解决率变化（百分点）",
    "satisfaction_rate_pct": "群众满意率（%）",
    "satisfaction_rate_prev_pct": "上年同期群众满意率（%）",
    "satisfaction_rate_pp": "群众满意率变化（百分点）",
    "units_screened": "排查单位",
    "found": "发现问题",
    "resolved": "已化解",
    "closure_rate_pct": "化解率（%）",
    "count": "报送指标（项）",
    "met": "达标指标（项）",
    "met_pct": "达标率（%）",
}
GROUPINGS = frozenset({"by_category", "by_problem_type", "by_type"})  # a level of the summary that only groups
# The sheet kind whose submissions move a section's figures; 报送 (units reporting) moves with any kind.
SECTION_KINDS = {"learning": "learning", "hotline": "hotline", "problems": "problems", "indicators": "indicators"}

FIGURE_HEADINGS = {"figure": "数字", "frozen": "会议版", "live": "当前", "change": "变化"}
CAUSE_HEADINGS = {
    "id": "版本",
    "unit": "单位",
    "kind": "报表",
    "period": "期间",
    "file": "文件",
    "change": "变化",
    "created_at": "报送时间",
    "created_by": "报送人",
}


@dataclass(frozen=True)
class Snapshot:
    id: int
    name: str
    scope: metrics.Scope
    created_at: dt.datetime
    created_by: str
    figures: dict  # ``metrics.summary`` of the scope when frozen
    registry_id: int | None
    headcounts: dict[str, int]
    submissions: int  # how many submissions were live
    hotline_source: str  # which 热线 figures counted where a return and tickets give the same month

    @property
    def label(self) -> str:
        """「会议版：十月例会（冻结于 2025-11-03 09:30）」: how every page, export and the CLI name it."""
        return f"会议版：{self.name}（冻结于 {self.created_at:%Y-%m-%d %H:%M}）"


@dataclass(frozen=True)
class Comparison:
    snapshot: Snapshot
    figures: pd.DataFrame  # section, figure, frozen, live, change: the figures that moved
    causes: pd.DataFrame  # id, unit, kind, period, file, change, created_at, created_by
    notes: tuple[str, ...]  # what else moved (the registry, 在职人数)

    @property
    def unchanged(self) -> bool:
        return self.figures.empty and not self.notes


# -- freezing, listing, deleting -------------------------------------------------------------------------------


def create(store: Store, name: str, scope: metrics.Scope, *, user: str = "cli") -> Snapshot:
    """Freeze ``scope`` as it stands now under ``name``; recorded in the audit log in the same transaction."""
    name = _checked_name(name)
    with store.writing() as conn:
        # Writers queue on the store's lock, so nothing is stored between reading the live submissions and
        # recording them; the figures read through other connections see the same committed store.
        if conn.execute(sa.select(snapshots_table.c.id).where(snapshots_table.c.name == name)).first():
            raise StoreError(f"已有名为「{name}」的会议版，请换一个名称（或先删除原来的）。")
        subs = submissions_table.c
        live = pd.DataFrame(
            conn.execute(sa.select(*(subs[c] for c in SUBMISSION_COLUMNS)).where(subs.deleted.is_(False))).all(),
            columns=SUBMISSION_COLUMNS,
        )
        registry_id = conn.execute(sa.select(sa.func.max(registries_table.c.id))).scalar()
        headcounts = store.headcounts()  # on a connection of its own: no other writer can change them meanwhile
        hotline_source = store.hotline_source()
        registry = _registry(conn, registry_id)
        dataset = _dataset(store, registry, live, headcounts, hotline_source, label="")
        figures = metrics.summary(dataset, scope)
        stamp = now()
        snapshot_id = conn.execute(
            snapshots_table.insert().values(
                name=name,
                year=scope.year,
                through=scope.through,
                categories=_json(list(scope.categories)),
                units=_json(list(scope.units)),
                registry_id=registry_id,
                headcounts=_json(headcounts),
                figures=_json(figures),
                hotline_source=hotline_source,
                created_at=stamp,
                created_by=user,
            )
        ).inserted_primary_key[0]
        if len(live):
            conn.execute(
                snapshot_submissions_table.insert(),
                [
                    {"snapshot_id": snapshot_id, "submission_id": int(sid), "seq": int(seq)}
                    for sid, seq in zip(live["id"], live["seq"])
                ],
            )
        note = f"会议版「{name}」：{scope_words(scope)}，冻结报送 {len(live)} 次"
        detail = {"note": note, "snapshot": name, "snapshot_id": snapshot_id, "scope": _scope_json(scope)}
        store.audit(conn, user, "snapshot", detail)
    return find(store, name)


def delete(store: Store, name: str, *, user: str = "cli") -> None:
    """Remove a snapshot (its record only: the submissions and files stay); recorded in the audit log."""
    found = find(store, name)
    with store.writing() as conn:
        conn.execute(snapshot_submissions_table.delete().where(snapshot_submissions_table.c.snapshot_id == found.id))
        conn.execute(snapshots_table.delete().where(snapshots_table.c.id == found.id))
        note = f"删除会议版「{found.name}」（冻结于 {found.created_at:%Y-%m-%d %H:%M}，{scope_words(found.scope)}）"
        detail = {"note": note, "snapshot": found.name, "snapshot_id": found.id, "scope": _scope_json(found.scope)}
        store.audit(conn, user, "snapshot-delete", detail)


def listed(store: Store) -> list[Snapshot]:
    """Every snapshot, newest first."""
    counts = (
        sa.select(snapshot_submissions_table.c.snapshot_id, sa.func.count().label("submissions"))
        .group_by(snapshot_submissions_table.c.snapshot_id)
        .subquery()
    )
    query = (
        sa.select(snapshots_table, sa.func.coalesce(counts.c.submissions, 0).label("submissions"))
        .outerjoin(counts, counts.c.snapshot_id == snapshots_table.c.id)
        .order_by(snapshots_table.c.created_at.desc(), snapshots_table.c.id.desc())
    )
    with store.engine.connect() as conn:
        return [_snapshot(row) for row in conn.execute(query).mappings()]


def find(store: Store, name: str) -> Snapshot:
    name = name.strip()
    for snapshot in listed(store):
        if snapshot.name == name:
            return snapshot
    known = "、".join(s.name for s in listed(store))
    raise StoreError(f"没有名为「{name}」的会议版。" + (f"已有：{known}。" if known else "还没有冻结任何会议版。"))


# -- showing a snapshot ------------------------------------------------------------------------------------------


def frozen_submissions(store: Store, snapshot: Snapshot) -> pd.DataFrame:
    """The submissions live when ``snapshot`` was frozen, with their seqs of then (``Store.submissions``' columns)."""
    subs, frozen = submissions_table.c, snapshot_submissions_table.c
    query = (
        sa.select(*(frozen.seq if c == "seq" else subs[c] for c in SUBMISSION_COLUMNS))
        .join(submissions_table, subs.id == frozen.submission_id)
        .where(frozen.snapshot_id == snapshot.id)
    )
    with store.engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).all(), columns=SUBMISSION_COLUMNS)


def dataset(store: Store, snapshot: Snapshot) -> metrics.Dataset:
    """The dataset as it was when ``snapshot`` was frozen, labelled with the snapshot's name and time."""
    with store.engine.connect() as conn:
        registry = _registry(conn, snapshot.registry_id)
    return _dataset(
        store,
        registry,
        frozen_submissions(store, snapshot),
        snapshot.headcounts,
        snapshot.hotline_source,
        label=snapshot.label,
        key=snapshot.id,
    )


class _Frozen:
    """What ``metrics.load`` reads of a store, as it was: the recorded submissions, registry, 在职人数 and which
    热线 source counted."""

    def __init__(
        self,
        store: Store,
        registry: Registry,
        submissions: pd.DataFrame,
        headcounts: dict,
        hotline_source: str,
        key: int,
    ):
        self._store, self._registry, self._submissions = store, registry, submissions
        self._headcounts, self._hotline_source, self._key = dict(headcounts), hotline_source, key

    def registry(self) -> Registry:
        return self._registry

    def submissions(self) -> pd.DataFrame:
        return self._submissions.copy()

    def current_rows(self, kind: str, submissions: pd.DataFrame | None = None) -> pd.DataFrame:
        chosen = self._submissions if submissions is None else submissions
        return self._store.current_rows(kind, chosen, hotline_source=self._hotline_source)

    def headcounts(self) -> dict[str, int]:
        return dict(self._headcounts)

    def data_version(self) -> int:
        return -self._key  # never a live store's version


def _dataset(
    store: Store,
    registry: Registry,
    submissions: pd.DataFrame,
    headcounts: dict,
    hotline_source: str,
    *,
    label: str,
    key: int = 0,
) -> metrics.Dataset:
    loaded = metrics.load(_Frozen(store, registry, submissions, headcounts, hotline_source, key))
    loaded.label = label
    return loaded


# -- comparing with today ----------------------------------------------------------------------------------------


def compare(
    store: Store, snapshot: Snapshot, *, live: metrics.Dataset | None = None, frozen: metrics.Dataset | None = None
) -> Comparison:
    """Which of the snapshot's figures differ today for the same scope, by how much, and which submissions moved.

    ``live`` and ``frozen`` are today's dataset and the snapshot's, when the caller has them already.
    """
    live = metrics.load(store) if live is None else live
    frozen = dataset(store, snapshot) if frozen is None else frozen
    moved = _moved(snapshot.figures, metrics.summary(live, snapshot.scope))
    sections = set(moved["section"])
    kinds = (
        set(SECTION_KINDS.values())
        if "units" in sections
        else {SECTION_KINDS[s] for s in sections if s in SECTION_KINDS}
    )
    causes = _causes(store, snapshot, frozen, live, kinds)
    notes = []
    if (live.registry.frame["unit"].tolist(), live.registry.frame["category"].tolist()) != (
        frozen.registry.frame["unit"].tolist(),
        frozen.registry.frame["category"].tolist(),
    ):
        notes.append("单位名录自冻结后已更换，名录单位数和各类别的数字可能因此变化。")
    if live.headcount != frozen.headcount:
        notes.append("自冻结后有单位更新了在职人数，人均参与人次可能因此变化。")
    return Comparison(snapshot, moved, causes, tuple(notes))


def figure_table(comparison: Comparison, *, as_text: bool = False) -> pd.DataFrame:
    """The moved figures as people read them: 数字, 会议版, 当前, 变化; ``as_text`` as a page shows them
    (「111,719」, 「92.53」, 「+9,985」, 「无数据」)."""
    frame = comparison.figures[list(FIGURE_HEADINGS)].copy()
    if as_text:
        changes = [figure_text(value, signed=True) for value in frame["change"]]
        for column in ("frozen", "live"):
            frame[column] = [figure_text(value) for value in frame[column]]
        # A rate's change, and a change of a change in 百分点, is in percentage points: never a bare 「+0.25」.
        frame["change"] = [
            f"{text} 个百分点" if value is not None and name.endswith(("（%）", "（百分点）")) else text
            for text, value, name in zip(changes, comparison.figures["change"], frame["figure"], strict=True)
        ]
    return frame.rename(columns=FIGURE_HEADINGS)


def figure_text(value: object, *, signed: bool = False) -> str:
    """A figure of the summary as text: counts with thousands separators, the rest with two decimals."""
    if value is None:
        return "无数据"
    sign = "+" if signed else ""
    if isinstance(value, int):
        return f"{value:{sign},}"
    if isinstance(value, float):
        return f"{value:{sign},.2f}"
    return str(value)


def cause_table(comparison: Comparison) -> pd.DataFrame:
    """The submissions behind the change as people read them: 版本 #id, 单位, 报表, 期间, 文件, 变化 …"""
    frame = comparison.causes[list(CAUSE_HEADINGS)].copy()
    frame["id"] = [f"#{i}" for i in frame["id"]]
    return frame.rename(columns=CAUSE_HEADINGS)


def _flat(figures: dict, path: tuple[str, ...] = ()):
    for key, value in figures.items():
        if not path and key == "coverage":  # who had reported, beside the figures: not a figure to compare
            continue
        if isinstance(value, dict):
            yield from _flat(value, (*path, key))
        elif path:  # year and through, at the top, are the scope, not figures
            yield (*path, key), value


def _figure_name(path: tuple[str, ...]) -> str:
    parts = [SECTION_NAMES.get(path[0], path[0])]
    parts += [part for part in path[1:-1] if part not in GROUPINGS]
    parts.append(FIGURE_NAMES.get(path[-1], path[-1]))
    return " · ".join(parts)


def _moved(frozen: dict, live: dict) -> pd.DataFrame:
    then, today = dict(_flat(frozen)), dict(_flat(live))
    rows = []
    for path in [*then, *(p for p in today if p not in then)]:
        before, after = then.get(path), today.get(path)
        if before == after:
            continue
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (before, after))
        change = round(after - before, 2) if numbers else None
        if numbers and change == 0:
            continue
        rows.append(
            {"section": path[0], "figure": _figure_name(path), "frozen": before, "live": after, "change": change}
        )
    # Object columns: a count stays an int, and a figure without data stays None rather than NaN.
    return pd.DataFrame(rows, columns=["section", "figure", "frozen", "live", "change"], dtype=object)


# What part of a submission a row counts for: a month of 学习活动 and 热线指标, a problem, an indicator's period.
_PARTS = {
    "learning": ("month",),
    "hotline": ("month",),
    "problems": ("key",),
    "indicators": ("indicator", "period_start", "period_end"),
}


def _counted(ds: metrics.Dataset) -> dict[int, set]:
    """Each submission some current row of ``ds`` comes from, with the parts it counts for (months, problems …):
    after a withdrawal an older submission's October may count again while its other months counted all along."""
    counted: dict[int, set] = {}
    for kind, parts in _PARTS.items():
        frame = getattr(ds, kind)
        if "submission_id" not in frame or frame.empty:
            continue
        for sid, *part in zip(frame["submission_id"], *(frame[c] for c in parts)):
            counted.setdefault(int(sid), set()).add(tuple(part))
    return counted


def _months_said(parts: set) -> str:
    """「10月」, 「2024年12月、1月」: the months among ``parts`` (monthly kinds), else how many parts."""
    months = sorted(int(p[0]) for p in parts if len(p) == 1 and isinstance(p[0], int | np.integer) and p[0] > 9999)
    if len(months) != len(parts):
        return f"{len(parts)} 项"
    return "、".join(f"{m % 100}月" if m // 100 == months[-1] // 100 else f"{m // 100}年{m % 100}月" for m in months)


def _causes(
    store: Store, snapshot: Snapshot, frozen: metrics.Dataset, live: metrics.Dataset, kinds: set[str]
) -> pd.DataFrame:
    then, today = _counted(frozen), _counted(live)
    recorded = set(frozen.submissions["id"].astype(int))  # live when frozen, counted or overtaken
    columns = list(CAUSE_HEADINGS)
    changed = {sid for sid in then.keys() | today.keys() if then.get(sid, set()) != today.get(sid, set())}
    if not changed or not kinds:
        return pd.DataFrame(columns=columns)
    history = store.history()
    history = history[history["id"].isin(changed) & history["kind"].isin(kinds)]
    scope = snapshot.scope
    units = set(metrics.scoped_units(live, scope)["unit"]) | set(metrics.scoped_units(frozen, scope)["unit"])
    # Rows from before last year count only for problems (cumulative); nothing after the through-month counts.
    relevant = (
        history["unit"].isin(units)
        & (history["period_start"] <= scope.last_month)
        & ((history["kind"] == "problems") | (history["period_end"] >= (scope.year - 1) * 100 + 1))
    )
    history = history[relevant]
    # A unit whose rows of a kind read the same as then (the same figures sent again) moved nothing.
    moved = {
        (u, k) for u, k in set(zip(history["unit"], history["kind"])) if _rows_of(frozen, k, u) != _rows_of(live, k, u)
    }
    history = history[[(u, k) in moved for u, k in zip(history["unit"], history["kind"])]]
    rows = []
    for row in history.itertuples():
        if row.id in today and row.id in then:
            gained, lost = today[row.id] - then[row.id], then[row.id] - today[row.id]
            said = []
            if gained:
                said.append(f"{_months_said(gained)}重新计入")
            if lost:
                said.append(f"{_months_said(lost)}不再计入")
            change = "，".join(said)
        elif row.id in today:
            change = "恢复为当前版本" if row.id in recorded else "新报送"
        elif row.deleted:
            change = "已撤销"
        elif row.replaced_by:
            change = f"已被 #{int(row.replaced_by)} 替代"
        else:
            change = "不再计入"
        rows.append(
            {
                "id": int(row.id),
                "unit": row.unit,
                "kind": kind_name(row.kind),
                "period": Period(int(row.period_start), int(row.period_end)).label,
                "file": row.file,
                "change": change,
                "created_at": row.created_at,
                "created_by": row.created_by,
            }
        )
    return pd.DataFrame(rows, columns=columns).sort_values(["unit", "kind", "id"], ignore_index=True)


_TRACING = ["id", "submission_id", "file_id", "sheet", "row", "short_name", "category"]


def _rows_of(ds: metrics.Dataset, kind: str, unit: str) -> list[tuple]:
    """One unit's current rows of a kind as values only (not where they came from), in a fixed order."""
    frame = getattr(ds, kind)
    frame = frame[frame["unit"] == unit].drop(columns=[c for c in _TRACING if c in frame])
    return sorted(tuple(str(v) for v in row) for row in frame.itertuples(index=False))


# -- reading and writing the tables --------------------------------------------------------------------------------


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise StoreError("请给会议版起一个名称，如「2025年10月例会」。")
    if name == LIVE_NAME:
        raise StoreError(f"「{LIVE_NAME}」指实时数据，不能用作会议版名称，请换一个。")
    if len(name) > MAX_NAME:
        raise StoreError(f"会议版名称最多 {MAX_NAME} 个字（现有 {len(name)} 个）。")
    return name


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _registry(conn, registry_id: int | None) -> Registry:
    if registry_id is None:
        return default_registry()
    row = conn.execute(
        sa.select(registries_table.c.content, registries_table.c.name).where(registries_table.c.id == registry_id)
    ).first()
    if row is None:
        raise StoreError(f"会议版所用的单位名录（#{registry_id}）已不在数据库中。")
    return parse_registry(bytes(row.content), row.name)


def _snapshot(row) -> Snapshot:
    return Snapshot(
        id=row["id"],
        name=row["name"],
        scope=metrics.Scope(
            int(row["year"]), int(row["through"]), tuple(json.loads(row["categories"])), tuple(json.loads(row["units"]))
        ),
        created_at=row["created_at"],
        created_by=row["created_by"],
        figures=json.loads(row["figures"]),
        registry_id=row["registry_id"],
        headcounts={str(k): int(v) for k, v in json.loads(row["headcounts"]).items()},
        submissions=int(row["submissions"]),
        hotline_source=row["hotline_source"] or DEFAULT_HOTLINE_SOURCE,
    )


def scope_words(scope: metrics.Scope) -> str:
    """「2025年1—10月 · 执法监督 · 临沂市民政局」: a snapshot's scope in the audit log and the command line."""
    units = "、".join(scope.units) if len(scope.units) <= 3 else f"{len(scope.units)}个单位"
    return f"{scope.span_label} · {'、'.join(scope.categories) or '全部类别'} · {units or '全部单位'}"


def _scope_json(scope: metrics.Scope) -> dict:
    return {"year": scope.year, "through": scope.through, "categories": scope.categories, "units": scope.units}
