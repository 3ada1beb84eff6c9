"""The truth the sample returns hold: what a faithful reader must recover from them.

Everything here is canonical, as the store would hold it after normalisation: registry full
names, canonical choice values, rates as fractions, dates as ``datetime.date``, months as
"YYYY-MM". How the same facts are dressed up in files is ``sample_data.shapes``' business.

All randomness flows from one ``random.Random(seed)``, drawn in a fixed order, so a seed
always gives the same records.
"""

from __future__ import annotations

import calendar
import csv
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from lingyi import contract

REGISTRY_PATH = Path(contract.__file__).parent / "data" / "units.csv"

MONTHS: tuple[str, ...] = tuple(
    f"{year}-{month:02d}" for year in (2024, 2025) for month in range(1, 13) if (year, month) <= (2025, 10)
)
FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2025, 10, 31)  # the data run through October 2025
# The 工委's mid-year problem ledger; its status is derived from the final state (problems_as_of).
SNAPSHOT_DAY = date(2025, 6, 30)

INDICATOR_PERIODS: dict[str, date] = {"2024年": date(2024, 12, 31), "2025年1-10月": LAST_DAY}

# The hotline truth holds the figures of the month itself; 上年同期 columns are a file-level echo of 2024.
HOTLINE_KEYS: tuple[str, ...] = tuple(c.key for c in contract.HOTLINE.columns if not c.key.endswith("_prev"))
LEARNING_KEYS: tuple[str, ...] = tuple(c.key for c in contract.LEARNING.columns)
PROBLEM_KEYS: tuple[str, ...] = tuple(c.key for c in contract.PROBLEMS.columns)
INDICATOR_KEYS: tuple[str, ...] = tuple(c.key for c in contract.INDICATORS.columns)

# The 2024 hotline of this unit arrives as a GBK CSV, so it must have appeals.
CSV_HOTLINE_UNIT = "临沂市统计局"


@dataclass(frozen=True)
class Unit:
    index: int  # position in the registry, 1-based
    full_name: str
    short_name: str
    category: str
    aliases: tuple[str, ...]


def load_units(path: Path = REGISTRY_PATH) -> tuple[Unit, ...]:
    with path.open(encoding="utf-8") as f:
        return tuple(
            Unit(
                index=i,
                full_name=row["单位全称"],
                short_name=row["单位简称"],
                category=row["单位类别"],
                aliases=tuple(a for a in row["别名"].split(";") if a),
            )
            for i, row in enumerate(csv.DictReader(f), start=1)
        )


# eq=False: dataclass equality would compare DataFrames with ==, which pandas refuses to reduce to a bool.
@dataclass(frozen=True, eq=False)
class SampleRecords:
    """The truth of the sample returns, one frame per sheet kind plus headcount and gaps.

    learning:   unit, activity, form, theme, date, sessions, lectures, person_times, lecturers
    hotline:    unit, month, appeals, first_time_rate, resolution_rate, satisfaction_rate
    problems:   unit, number, description, problem_type, found_date, status, resolved_date, stage
                (final state at 2025-10-31; number is NA where a unit does not number its problems,
                resolved_date is None unless status is 已化解)
    indicators: unit, indicator_type, indicator, measure_unit, target, actual, direction, period
    headcount:  unit, headcount (在职人数)
    missing:    unit, kind, month: the monthly returns a unit did not send (no rows for them anywhere)
    """

    learning: pd.DataFrame
    hotline: pd.DataFrame
    problems: pd.DataFrame
    indicators: pd.DataFrame
    headcount: pd.DataFrame
    missing: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def for_units(self, names: Sequence[str]) -> SampleRecords:
        """The same records narrowed to some units (for quick tests that write a few files)."""
        keep = set(names)
        return SampleRecords(**{name: frame[frame["unit"].isin(keep)] for name, frame in self.frames().items()})


def generate_records(seed: int = 42) -> SampleRecords:
    rng = random.Random(seed)
    units = load_units()
    headcount = {unit.full_name: _draw_headcount(rng, unit) for unit in units}
    hotline_units = _draw_hotline_units(rng, units)
    missing = _draw_missing(rng, units)
    learning = _draw_learning(rng, units, headcount, missing)
    hotline = _draw_hotline(rng, [u for u in units if u.full_name in hotline_units], missing)
    problems = _draw_problems(rng, units, headcount)
    indicators = _draw_indicators(rng, units, problems)
    order = {unit.full_name: unit.index for unit in units}
    return SampleRecords(
        learning=pd.DataFrame(learning, columns=list(LEARNING_KEYS)),
        hotline=pd.DataFrame(hotline, columns=list(HOTLINE_KEYS)),
        problems=pd.DataFrame(problems, columns=list(PROBLEM_KEYS)),
        indicators=pd.DataFrame(indicators, columns=list(INDICATOR_KEYS)),
        headcount=pd.DataFrame(
            [(unit.full_name, headcount[unit.full_name]) for unit in units], columns=["unit", "headcount"]
        ),
        missing=pd.DataFrame(
            [
                (unit, kind, month)
                for unit, month in sorted(missing, key=lambda gap: (order[gap[0]], gap[1]))
                for kind in ("learning", "hotline")
                if kind == "learning" or unit in hotline_units
            ],
            columns=["unit", "kind", "month"],
        ),
    )


def problems_as_of(problems: pd.DataFrame, day: date) -> pd.DataFrame:
    """The ledger as it stood on ``day``: problems found by then, with the status they had then.

    Status only moves forward (待化解 → 化解中 → 已化解), so the earlier state follows from the
    final one: resolved by then keeps its date; otherwise a problem that ends 待化解 was 待化解,
    and one that moved on was 化解中 once it had been known for a month.
    """
    earlier = problems[problems["found_date"] <= day].copy()
    resolved = earlier["resolved_date"].map(lambda d: d is not None and d <= day)
    stalled = earlier["status"] == "待化解"
    fresh = earlier["found_date"].map(lambda d: (day - d).days < 30)
    earlier["status"] = [
        contract.RESOLVED if r else ("待化解" if s or f else "化解中")
        for r, s, f in zip(resolved, stalled, fresh, strict=True)
    ]
    earlier["resolved_date"] = [d if r else None for d, r in zip(earlier["resolved_date"], resolved, strict=True)]
    return earlier.reset_index(drop=True)


def month_days(month: str) -> tuple[date, date]:
    year, number = int(month[:4]), int(month[5:])
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _weekday_in(rng: random.Random, first: date, last: date) -> date:
    """A working day between first and last (activities and inspections happen on weekdays)."""
    days = [first + timedelta(n) for n in range((last - first).days + 1)]
    return rng.choice([d for d in days if d.weekday() < 5] or days)


def _is_party_office(unit: Unit) -> bool:
    """Party committee offices and research bodies: they take few or no 12345 appeals."""
    name = unit.full_name
    return (unit.category == "党政综合" and name.startswith("中共临沂市委")) or name.endswith(("研究室", "档案馆"))


# --- headcount ---------------------------------------------------------------------------------

# 在职人数 ranges by category; SOEs and the big law-enforcement and service bodies are the large ones.
HEADCOUNT_RANGES: dict[str, tuple[int, int]] = {
    "党政综合": (28, 180),
    "经济发展": (35, 260),
    "执法监督": (45, 420),
    "社会服务": (40, 380),
    "群团事业": (22, 65),
    "国有企业": (160, 600),
}
LARGE_UNITS = ("市公安局", "市人民医院", "市税务局", "市中级法院", "临沂日报社", "市广播电视台", "市城市管理局")


def _draw_headcount(rng: random.Random, unit: Unit) -> int:
    low, high = (380, 600) if unit.short_name in LARGE_UNITS else HEADCOUNT_RANGES[unit.category]
    return round(_log_uniform(rng, low, high))


# --- learning ----------------------------------------------------------------------------------

FORM_WEIGHTS = {
    "集中学习": 30,
    "专题培训": 18,
    "讲堂": 14,
    "研讨交流": 12,
    "以进促学": 9,
    "导师帮带": 6,
    "业务比武": 5,
    "其他": 6,
}
THEME_WEIGHTS = {"党的创新理论": 40, "政策专业知识": 35, "发展前沿知识": 15, "其他": 10}
THEME_WEIGHTS_BY_FORM = {
    "集中学习": {"党的创新理论": 65, "政策专业知识": 25, "发展前沿知识": 6, "其他": 4},
    "业务比武": {"党的创新理论": 8, "政策专业知识": 80, "发展前沿知识": 7, "其他": 5},
    "导师帮带": {"党的创新理论": 20, "政策专业知识": 60, "发展前沿知识": 10, "其他": 10},
}
# Spring Festival (February) and the summer break (August) thin the calendar.
MONTH_ACTIVITY_FACTOR = {
    1: 0.9,
    2: 0.45,
    3: 1.1,
    4: 1.1,
    5: 1.05,
    6: 1.1,
    7: 0.85,
    8: 0.5,
    9: 1.05,
    10: 0.9,
    11: 1.1,
    12: 1.0,
}
SERIES_FORMS = ("讲堂", "专题培训", "导师帮带", "研讨交流")
# Lectures per session where not one: a training class has several, a seminar sometimes none.
LECTURES_PER_SESSION = {"专题培训": (2, 4), "集中学习": (1, 2), "研讨交流": (0, 1)}
LECTURERS = {
    "讲堂": (1, 2),
    "专题培训": (1, 4),
    "集中学习": (0, 1),
    "导师帮带": (1, 6),  # the mentors
    "研讨交流": (0, 0),
    "以进促学": (0, 2),
    "业务比武": (0, 2),  # judges who also teach
    "其他": (0, 1),
}

TOPICS = {
    "党的创新理论": (
        "党的二十届三中全会精神",
        "习近平新时代中国特色社会主义思想",
        "党纪学习教育",
        "中央八项规定精神",
        "习近平总书记视察山东重要讲话精神",
        "新时代党的建设总要求",
    ),
    "政策专业知识": (
        "新修订《行政复议法》",
        "优化营商环境政策",
        "公文写作与处理",
        "保密法律法规",
        "安全生产法律法规",
        "政府采购业务",
        "《数据安全法》",
        "预算绩效管理",
    ),
    "发展前沿知识": ("人工智能与数字政府", "新质生产力", "低空经济", "数字经济", "绿色低碳发展", "数据要素市场化"),
    "其他": ("心理健康与压力调适", "应急救护知识", "沂蒙精神", "机关礼仪", "健康生活方式"),
}
PLACES = (
    "沂蒙红色影视基地",
    "华东革命烈士陵园",
    "临沂商城",
    "孟良崮战役纪念馆",
    "基层服务窗口",
    "企业生产一线",
    "社区网格",
)
ACTIVITY_NAMES = {
    "讲堂": ("“沂蒙大讲堂”：{topic}", "机关讲堂第{n}讲：{topic}", "“学习强国”讲堂：{topic}"),
    "专题培训": ("{topic}专题培训班", "{topic}专题培训"),
    "集中学习": ("党组理论学习中心组集中学习（{topic}）", "机关干部集中学习：{topic}", "“三会一课”集中学习：{topic}"),
    "以进促学": ("走进{place}现场教学", "“五进”活动：走进{place}"),
    "导师帮带": ("青年干部导师帮带：{topic}", "新入职干部“一对一”导师帮带"),
    "研讨交流": ("{topic}专题研讨", "青年理论学习小组研讨交流：{topic}"),
    "业务比武": ("{topic}业务技能比武", "{topic}知识竞赛"),
    "其他": ("读书分享会：{topic}", "观看警示教育片", "“学习强国”答题挑战"),
}


def _draw_learning(
    rng: random.Random, units: Sequence[Unit], headcount: dict[str, int], missing: set[tuple[str, str]]
) -> list[tuple]:
    rows: list[tuple] = []
    for unit in units:
        staff = headcount[unit.full_name]
        # Bigger units run more activities: about 2 a month for the smallest, 4 for the largest.
        level = 2.0 + 2.2 * (math.log(staff) - math.log(20)) / (math.log(620) - math.log(20)) + rng.gauss(0, 0.35)
        lecture_series = 0  # the running number of the unit's 讲堂, for names like 第12讲
        for month in MONTHS:
            count = min(6, max(1, round(rng.gauss(level * MONTH_ACTIVITY_FACTOR[int(month[5:])], 0.7))))
            first, last = month_days(month)
            activities = []
            for _ in range(count):
                form = _weighted(rng, FORM_WEIGHTS)
                lecture_series += form == "讲堂"
                day = _weekday_in(rng, first, last)
                activities.append(_draw_activity(rng, unit.full_name, staff, form, day, lecture_series))
            # A month not sent is drawn all the same and dropped, so gaps only remove rows.
            if (unit.full_name, month) not in missing:
                rows.extend(sorted(activities, key=lambda row: row[4]))
    return rows


def _draw_activity(rng: random.Random, unit: str, staff: int, form: str, day: date, series_number: int) -> tuple:
    theme = _weighted(rng, THEME_WEIGHTS_BY_FORM.get(form, THEME_WEIGHTS))
    name = rng.choice(ACTIVITY_NAMES[form]).format(
        topic=rng.choice(TOPICS[theme]), place=rng.choice(PLACES), n=series_number
    )
    sessions = 1
    if form in SERIES_FORMS and rng.random() < 0.25:
        sessions = rng.choice((2, 2, 3, 3, 4, 5, 6, 8))
    lectures = sum(rng.randint(*LECTURES_PER_SESSION.get(form, (1, 1))) for _ in range(sessions))
    lecturers = rng.randint(*LECTURERS[form])
    if form != "导师帮带":  # mentors pair with trainees; elsewhere each lecturer gives at least one lecture
        lecturers = min(lecturers, max(lectures, 1))
    person_times = sum(_participants(rng, form, staff) for _ in range(sessions))
    return (unit, name, form, theme, day, sessions, lectures, person_times, min(lecturers, staff))


def _participants(rng: random.Random, form: str, staff: int) -> int:
    """Who turns up to one session: all-staff meetings reach most people, trainings a group."""
    if form == "集中学习":
        share = staff * rng.uniform(0.6, 0.95)
    elif form == "讲堂":
        share = min(300, staff * rng.uniform(0.3, 0.9))
    elif form == "导师帮带":
        share = 2 * rng.randint(2, 10)
    elif form == "其他":
        share = staff * rng.uniform(0.2, 0.8)
    else:
        share = rng.uniform(12, 70)
    return max(1, min(staff, round(share)))


# --- hotline -----------------------------------------------------------------------------------

# Bodies that deal with the public every day carry the hotline's weight.
HIGH_VOLUME = (
    "人力资源",
    "住房和城乡建设",
    "公安局",
    "市场监督管理局",
    "城市管理",
    "医疗保障",
    "教育局",
    "水务",
    "热力",
    "公共交通",
    "公积金",
    "社会保险",
    "行政审批",
    "卫生健康",
    "交通运输局",
    "自然资源",
    "生态环境局",
)
SEASON = {1: 1.05, 2: 0.8, 3: 1.0, 4: 1.0, 5: 1.02, 6: 1.06, 7: 1.12, 8: 1.15, 9: 1.0, 10: 0.97, 11: 1.0, 12: 1.05}
# The heating company hears from the city in winter.
HEATING_SEASON = {1: 2.2, 2: 1.8, 3: 1.2, 4: 0.6, 5: 0.5, 6: 0.5, 7: 0.5, 8: 0.5, 9: 0.6, 10: 0.9, 11: 2.0, 12: 2.4}


def _draw_hotline_units(rng: random.Random, units: Sequence[Unit]) -> set[str]:
    """Pick 76–86 units with appeals, party offices rarely and mass organisations half the time.

    Weighted sampling without replacement (Efraimidis–Spirakis: keep the largest u^(1/w)),
    so the count is exact whatever the seed.
    """
    weight = {"群团事业": 0.5}
    keys = {
        unit.full_name: rng.random() ** (1 / (0.12 if _is_party_office(unit) else weight.get(unit.category, 1.0)))
        for unit in units
    }
    keys[CSV_HOTLINE_UNIT] = 2.0  # always in
    size = rng.randint(76, 86)
    return set(sorted(keys, key=keys.__getitem__, reverse=True)[:size])


def _draw_hotline(rng: random.Random, units: Sequence[Unit], missing: set[tuple[str, str]]) -> list[tuple]:
    rows: list[tuple] = []
    for unit in units:
        busy = any(word in unit.full_name for word in HIGH_VOLUME)
        level = _log_uniform(rng, 350, 1400) if busy else _log_uniform(rng, 5, 160)
        # Most units see fewer appeals in 2025 (10–30 % down); a few see more.
        change = 1 - rng.uniform(0.10, 0.30) if rng.random() < 0.88 else 1 + rng.uniform(0.0, 0.08)
        base = {
            "first_time_rate": rng.uniform(0.80, 0.92),
            "resolution_rate": rng.uniform(0.82, 0.95),
            "satisfaction_rate": rng.uniform(0.85, 0.97),
        }
        lift = {key: rng.uniform(0.01, 0.04) for key in base}
        season = HEATING_SEASON if "热力" in unit.full_name else SEASON
        for month in MONTHS:
            year, number = int(month[:4]), int(month[5:])
            expected = level * season[number]
            if year == 2025:
                expected *= change
            appeals = max(0, round(expected * rng.uniform(0.9, 1.1)))
            rates = {
                key: round(min(0.995, max(0.80, value + (lift[key] if year == 2025 else 0) + rng.gauss(0, 0.008))), 4)
                for key, value in base.items()
            }
            if (unit.full_name, month) not in missing:
                rows.append((unit.full_name, month, appeals, *rates.values()))
    return rows


# --- missing returns ---------------------------------------------------------------------------

# Gaps in the 2025 monthly returns: a late October, the holiday months, a quarter-long lapse, …
MISSING_PATTERNS: tuple[tuple[str, ...], ...] = (
    ("2025-10",),
    ("2025-02", "2025-08"),
    ("2025-04", "2025-05", "2025-06"),
    ("2025-07",),
    ("2025-09", "2025-10"),
)


def _draw_missing(rng: random.Random, units: Sequence[Unit]) -> set[tuple[str, str]]:
    candidates = [unit for unit in units if unit.full_name != CSV_HOTLINE_UNIT]
    chosen = rng.sample(candidates, len(MISSING_PATTERNS))
    return {(unit.full_name, month) for unit, months in zip(chosen, MISSING_PATTERNS, strict=True) for month in months}


# --- problems ----------------------------------------------------------------------------------

PROBLEM_TYPE_WEIGHTS = {"业务工作": 30, "服务群众": 22, "作风纪律": 15, "党建工作": 15, "安全生产": 10, "其他": 8}
assert set(PROBLEM_TYPE_WEIGHTS) == set(contract.SUGGESTED_PROBLEM_TYPES)
STAGE_WEIGHTS = {"点题": 40, "破题": 25, "解题": 22, "验题": 13}
# The chance a problem is ever solved; safety and public-service problems are the stubborn ones,
# SOEs and law enforcement lag, so a few categories end below the 90 % target.
CLOSURE_BY_TYPE = {
    "业务工作": 0.965,
    "作风纪律": 0.985,
    "服务群众": 0.935,
    "党建工作": 0.99,
    "安全生产": 0.905,
    "其他": 0.96,
}
CLOSURE_BY_CATEGORY = {
    "党政综合": 0.02,
    "经济发展": 0.0,
    "执法监督": -0.065,
    "社会服务": -0.03,
    "群团事业": 0.02,
    "国有企业": -0.06,
}
# The 2024 spring screening campaign found the most problems.
FOUND_MONTH_WEIGHT = {"2024-03": 2.6, "2024-04": 2.4, "2024-05": 1.6}
ISSUES = {
    "业务工作": (
        "业务台账更新不及时",
        "政策文件解读不到位",
        "办事指南与实际流程不一致",
        "业务系统数据录入不规范",
        "重点任务推进滞后",
        "档案资料归档不完整",
        "业务培训覆盖面不足",
    ),
    "作风纪律": (
        "个别干部上班时间脱岗",
        "会议纪律执行不严",
        "公务接待审批不规范",
        "督查检查频次偏多",
        "考勤制度落实不到位",
    ),
    "服务群众": (
        "窗口服务等待时间偏长",
        "咨询电话接听不及时",
        "网上办事引导不清晰",
        "一次性告知落实不到位",
        "诉求回访不及时",
        "便民服务设施不完善",
    ),
    "党建工作": (
        "支部组织生活记录不规范",
        "党员学习积分偏低",
        "“三会一课”落实不严格",
        "党建与业务融合不够",
        "发展党员材料不全",
    ),
    "安全生产": (
        "办公楼消防设施老化",
        "安全隐患排查台账不全",
        "应急预案演练不足",
        "电动车违规充电",
        "危化品存放管理不规范",
    ),
    "其他": ("公共机构节能管理不到位", "办公用房使用不规范", "信息公开更新不及时", "网络安全防护薄弱"),
}
DEPARTMENTS = (
    "办公室",
    "综合科",
    "政策法规科",
    "机关党委",
    "人事科",
    "财务科",
    "信息中心",
    "业务一科",
    "业务二科",
    "服务大厅",
    "后勤服务中心",
    "督查科",
)
UNNUMBERED_UNITS = 3  # units that keep no 问题编号: their problems are keyed by description and date


def _draw_problems(rng: random.Random, units: Sequence[Unit], headcount: dict[str, int]) -> list[tuple]:
    unnumbered = {unit.full_name for unit in rng.sample(list(units), UNNUMBERED_UNITS)}
    month_weights = {month: FOUND_MONTH_WEIGHT.get(month, 1.0 if month < "2025" else 0.8) for month in MONTHS}
    rows: list[tuple] = []
    for unit in units:
        count = max(4, round(5 + 0.65 * math.sqrt(headcount[unit.full_name]) + rng.gauss(0, 2)))
        drawn = []
        descriptions: set[str] = set()
        for _ in range(count):
            problem_type = _weighted(rng, PROBLEM_TYPE_WEIGHTS)
            description = _unique_description(rng, problem_type, descriptions)
            found = _weekday_in(rng, *month_days(_weighted(rng, month_weights)))
            chance = CLOSURE_BY_TYPE[problem_type] + CLOSURE_BY_CATEGORY[unit.category]
            solvable = rng.random() < chance
            resolved = found + timedelta(days=3 + round(rng.lognormvariate(math.log(28), 0.6)))
            stage = _weighted(rng, STAGE_WEIGHTS)
            if solvable and resolved <= LAST_DAY:
                status, resolved_date = contract.RESOLVED, resolved
            else:
                status = "化解中" if solvable or rng.random() < 0.55 else "待化解"
                resolved_date = None
            drawn.append([unit.full_name, None, description, problem_type, found, status, resolved_date, stage])
        drawn.sort(key=lambda row: (row[4], row[2]))
        for year in (2024, 2025):
            of_year = [row for row in drawn if row[4].year == year]
            for sequence, row in enumerate(of_year, start=1):
                if unit.full_name not in unnumbered:
                    row[1] = f"LY{unit.index:03d}-{year}-{sequence:03d}"
        rows.extend(tuple(row) for row in drawn)
    return rows


def _unique_description(rng: random.Random, problem_type: str, taken: set[str]) -> str:
    """A description not yet used by this unit, so (unit, 问题描述, 发现日期) stays a key."""
    while True:
        description = rng.choice(DEPARTMENTS) + rng.choice(ISSUES[problem_type])
        if description not in taken:
            taken.add(description)
            return description


# --- indicators --------------------------------------------------------------------------------


class IndicatorSpec(NamedTuple):
    name: str
    measure_unit: str
    direction: str
    target_range: tuple[float, float]  # for a whole year
    cumulative: bool  # a count or sum that scales with the months of the period


# The three 共性指标 every unit reports; their targets are fixed, see _draw_indicators.
COMMON_INDICATORS = (
    IndicatorSpec("理论学习中心组集体学习次数", "次", "越高越好", (12, 12), True),
    IndicatorSpec("干部职工参学率", "%", "越高越好", (95, 95), False),
    IndicatorSpec("学习型机关建设问题化解率", "%", "越高越好", (90, 90), False),
)
OWN_INDICATORS: dict[str, tuple[IndicatorSpec, ...]] = {
    "党政综合": (
        IndicatorSpec("督查督办事项办结率", "%", "越高越好", (95, 95), False),
        IndicatorSpec("信息报送采用篇数", "篇", "越高越好", (40, 120), True),
        IndicatorSpec("公文办理平均时长", "天", "越低越好", (3, 5), False),
    ),
    "经济发展": (
        IndicatorSpec("重点项目开工率", "%", "越高越好", (90, 90), False),
        IndicatorSpec("招商引资到位资金", "亿元", "越高越好", (20, 80), True),
        IndicatorSpec("企业诉求办结率", "%", "越高越好", (95, 95), False),
        IndicatorSpec("行政审批平均办理时限", "个工作日", "越低越好", (5, 10), False),
    ),
    "执法监督": (
        IndicatorSpec("执法案卷合格率", "%", "越高越好", (95, 95), False),
        IndicatorSpec("行政复议纠错率", "%", "越低越好", (5, 5), False),
        IndicatorSpec("安全生产事故起数", "起", "越低越好", (3, 10), True),
        IndicatorSpec("案件平均办理周期", "天", "越低越好", (30, 60), False),
    ),
    "社会服务": (
        IndicatorSpec("群众投诉办结率", "%", "越高越好", (98, 98), False),
        IndicatorSpec("政务服务事项网办率", "%", "越高越好", (85, 85), False),
        IndicatorSpec("群众投诉量", "件", "越低越好", (100, 600), True),
        IndicatorSpec("服务对象满意度", "%", "越高越好", (95, 95), False),
    ),
    "群团事业": (
        IndicatorSpec("服务群众活动场次", "场", "越高越好", (20, 80), True),
        IndicatorSpec("会员覆盖率", "%", "越高越好", (90, 90), False),
        IndicatorSpec("志愿服务时长", "小时", "越高越好", (2000, 8000), True),
        IndicatorSpec("信访投诉件数", "件", "越低越好", (5, 30), True),
    ),
    "国有企业": (
        IndicatorSpec("营业收入", "亿元", "越高越好", (10, 80), True),
        IndicatorSpec("利润总额", "亿元", "越高越好", (1, 8), True),
        IndicatorSpec("资产负债率", "%", "越低越好", (60, 70), False),
        IndicatorSpec("安全生产事故起数", "起", "越低越好", (2, 4), True),
    ),
}
WHOLE_MEASURES = ("次", "篇", "起", "件", "场", "小时")


def _draw_indicators(rng: random.Random, units: Sequence[Unit], problems: list[tuple]) -> list[tuple]:
    problems_by_unit: dict[str, list[tuple]] = {}
    for problem in problems:
        problems_by_unit.setdefault(problem[0], []).append(problem)
    rows: list[tuple] = []
    for unit in units:
        own = rng.sample(OWN_INDICATORS[unit.category], rng.randint(1, 3))
        yearly_targets = {spec.name: rng.uniform(*spec.target_range) for spec in own}
        for period, end in INDICATOR_PERIODS.items():
            months = end.month  # 12 for 2024年, 10 for 2025年1-10月
            meetings, attendance, closure = COMMON_INDICATORS
            values = [
                (meetings, months, months + rng.choice((-2, -1, 0, 0, 1, 2, 3))),
                (attendance, 95, round(rng.uniform(92.5, 100), 1)),
                # The closure indicator is the unit's own ledger, so the figures agree with the problem data.
                (closure, 90, _closure_pct(problems_by_unit[unit.full_name], end)),
            ]
            for spec in own:
                target = yearly_targets[spec.name] * (months / 12 if spec.cumulative else 1)
                values.append((spec, *_target_and_actual(rng, spec, target)))
            rows.extend(
                (
                    unit.full_name,
                    "共性指标" if spec in COMMON_INDICATORS else "个性指标",
                    spec.name,
                    spec.measure_unit,
                    float(target),
                    float(actual),
                    spec.direction,
                    period,
                )
                for spec, target, actual in values
            )
    return rows


def _target_and_actual(rng: random.Random, spec: IndicatorSpec, target: float) -> tuple[float, float]:
    """Most units meet their targets: a little over where higher is better, under where lower is."""
    whole = spec.measure_unit in WHOLE_MEASURES
    target = round(target) if whole else round(target, 1)
    ratio = rng.uniform(0.95, 1.15) if spec.direction == "越高越好" else rng.uniform(0.6, 1.08)
    if rng.random() < 0.15:  # and some miss them
        ratio = 2 - ratio
    actual = target * ratio
    if spec.measure_unit == "%":
        actual = min(100.0, actual)
    return target, round(actual) if whole else round(actual, 1)


def _closure_pct(problems: list[tuple], end: date) -> float:
    found = [p for p in problems if p[4] <= end]
    resolved = [p for p in found if p[6] is not None and p[6] <= end]
    return round(100 * len(resolved) / len(found), 1) if found else 100.0
