"""The return contract (报表规范, ``shared/spec/returns.md`` §1–3) as data.

The reader, the validator, the template writer, the error messages and the
filling instructions (``docs/填报说明.md``) all read these tables. Adding an
alias is one line here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class ValueKind(StrEnum):
    TEXT = "text"
    COUNT = "count"  # a whole number ≥ 0 (or ≥ minimum)
    NUMBER = "number"  # any real number (targets and actuals)
    RATE = "rate"  # fraction, percentage or "93.72%": stored as a fraction in [0, 1]
    DATE = "date"
    MONTH = "month"
    CHOICE = "choice"  # one of a closed list, with aliases
    PERIOD = "period"  # 2025年10月, 2025年第三季度, 2025年, 2025年1-10月


@dataclass(frozen=True)
class Choices:
    """A closed list of values, the aliases that map onto them, and what an unknown value does."""

    values: tuple[str, ...]
    aliases: dict[str, str] = field(default_factory=dict)
    # Where set, an unknown value becomes this one with a warning instead of an error.
    fallback: str | None = None


@dataclass(frozen=True)
class Column:
    key: str  # the English identifier used in frames and the store
    name: str  # the canonical Chinese header
    aliases: tuple[str, ...] = ()
    kind: ValueKind = ValueKind.TEXT
    required: bool = False
    minimum: int | None = None
    choices: Choices | None = None
    help: str = ""  # one line for the people who fill returns in
    example: object = None  # the value of the template's example row

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class SheetKind:
    key: str
    name: str  # the canonical sheet name, also the exact name that identifies it
    keywords: tuple[str, ...]  # a sheet whose name contains one of these is of this kind
    grain: str  # "one row per …", for the filling instructions
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def __reduce__(self):
        # Pickled as its key: a checked file comes back from a worker with its kind on every table, and the kind
        # spelled out (its columns, their aliases and help) was most of the bytes sent.
        return (sheet_kind, (self.key,))


def sheet_kind(key: str) -> SheetKind:
    """The contract's sheet kind of this key (学习活动 for ``"learning"`` …)."""
    return SHEET_KIND_BY_KEY[key]


CATEGORIES: tuple[str, ...] = ("党政综合", "经济发展", "执法监督", "社会服务", "群团事业", "国有企业")

UNIT = Column(
    "unit",
    "单位名称",
    ("单位", "填报单位", "部门"),
    required=True,
    help="填写单位全称、简称或名录中的别名，如「临沂市民政局」或「市民政局」。",
    example="临沂市民政局",
)


def unit_column(*aliases: str) -> Column:
    """单位名称 as a sheet kind reads it: the aliases every kind shares, and the kind's own (spec §3)."""
    return replace(UNIT, aliases=(*UNIT.aliases, *aliases))


ACTIVITY_FORMS = Choices(
    values=("讲堂", "专题培训", "集中学习", "以进促学", "导师帮带", "研讨交流", "业务比武", "其他"),
    aliases={
        "大讲堂": "讲堂",
        "现场教学": "以进促学",
        "五进": "以进促学",
        "导师制": "导师帮带",
        "比武": "业务比武",
        "竞赛": "业务比武",
    },
    fallback="其他",
)

LEARNING_THEMES = Choices(
    values=("党的创新理论", "政策专业知识", "发展前沿知识", "其他"),
    fallback="其他",
)

PROBLEM_STATUSES = Choices(
    values=("待化解", "化解中", "已化解"),
    aliases={
        "未化解": "待化解",
        "未整改": "待化解",
        "未完成": "待化解",
        "未开始": "待化解",
        "未启动": "待化解",
        "未销号": "待化解",
        "整改中": "化解中",
        "推进中": "化解中",
        "正在整改": "化解中",
        "进行中": "化解中",
        "部分整改": "化解中",
        "长期坚持": "化解中",
        "已整改": "已化解",
        "已完成": "已化解",
        "已办结": "已化解",
        "已销号": "已化解",
        "完成": "已化解",
        "已整改到位": "已化解",
        "已验收": "已化解",
        "已报结": "已化解",
    },
)
RESOLVED = "已化解"

PROBLEM_STAGES = Choices(values=("点题", "破题", "解题", "验题"))

SUGGESTED_PROBLEM_TYPES: tuple[str, ...] = ("业务工作", "作风纪律", "服务群众", "党建工作", "安全生产", "其他")
UNTYPED_PROBLEM = "未分类"

INDICATOR_TYPES = Choices(
    values=("共性指标", "个性指标"),
    aliases={"共性": "共性指标", "个性": "个性指标"},
)

INDICATOR_DIRECTIONS = Choices(
    values=("越高越好", "越低越好"),
    aliases={"正向": "越高越好", "正向指标": "越高越好", "反向": "越低越好", "逆向": "越低越好", "负向": "越低越好"},
)

LEARNING = SheetKind(
    key="learning",
    name="学习活动",
    keywords=("学习",),
    grain="每行一项学习活动（或一个系列活动的若干期）",
    columns=(
        unit_column("主办部门", "主办单位"),
        Column(
            "activity",
            "活动名称",
            ("名称", "活动", "培训班名称"),
            required=True,
            help="活动的名称。",
            example="“学习强国”专题讲堂",
        ),
        Column(
            "form",
            "活动形式",
            ("形式", "类型", "培训方式"),
            kind=ValueKind.CHOICE,
            choices=ACTIVITY_FORMS,
            help="从下拉列表中选择；其他写法记为「其他」并提示。",
            example="讲堂",
        ),
        Column(
            "theme",
            "学习主题",
            ("主题",),
            kind=ValueKind.CHOICE,
            choices=LEARNING_THEMES,
            help="从下拉列表中选择。",
            example="党的创新理论",
        ),
        Column(
            "date",
            "日期",
            ("活动日期", "开始日期", "时间"),
            kind=ValueKind.DATE,
            required=True,
            help="活动日期，如 2025-03-15、2025/3/15、2025年3月15日。",
            example="2025-03-15",
        ),
        Column(
            "sessions",
            "期数",
            ("期次",),
            kind=ValueKind.COUNT,
            minimum=1,
            help="整数，不小于1；不填按1期计。",
            example=1,
        ),
        Column(
            "lectures",
            "节数",
            ("课时", "场次", "课程总数"),
            kind=ValueKind.COUNT,
            minimum=0,
            help="整数，不小于0；不填按期数计。",
            example=2,
        ),
        Column(
            "person_times",
            "参与人次",
            ("参学人次", "覆盖人次", "人次", "实际参训人数", "参训人次"),
            kind=ValueKind.COUNT,
            minimum=0,
            required=True,
            help="整数，不小于0。",
            example=120,
        ),
        Column(
            "lecturers",
            "授课人数",
            ("主讲人数", "讲师人数"),
            kind=ValueKind.COUNT,
            minimum=0,
            help="整数，不小于0。",
            example=1,
        ),
    ),
)

HOTLINE = SheetKind(
    key="hotline",
    name="热线指标",
    keywords=("热线", "12345"),
    grain="每个单位每月一行",
    columns=(
        unit_column("受理单位", "责任单位", "承办单位"),
        Column(
            "month",
            "月份",
            ("统计月份", "期间"),
            kind=ValueKind.MONTH,
            required=True,
            help="如 2025-03、2025年3月、202503。",
            example="2025-03",
        ),
        Column(
            "appeals",
            "诉求量",
            ("工单量", "受理量", "诉求件数", "交办总量", "派遣案件总数", "总工单数", "转派工单"),
            kind=ValueKind.COUNT,
            minimum=0,
            required=True,
            help="当月受理的12345热线诉求件数，整数。",
            example=156,
        ),
        Column(
            "first_time_rate",
            "一次性办好率",
            ("一次办好率",),
            kind=ValueKind.RATE,
            help="比率，可填 0.9372、93.72 或 93.72%（同一列统一写法）。",
            example="93.72%",
        ),
        Column(
            "resolution_rate",
            "问题解决率",
            ("解决率",),
            kind=ValueKind.RATE,
            help="比率，写法同上。",
            example="91.50%",
        ),
        Column(
            "satisfaction_rate",
            "群众满意率",
            ("满意率",),
            kind=ValueKind.RATE,
            help="比率，写法同上。",
            example="95.10%",
        ),
        Column(
            "appeals_prev",
            "上年同期诉求量",
            kind=ValueKind.COUNT,
            minimum=0,
            help="可选；系统中没有上年同月数据时用于同比。",
            example=180,
        ),
        Column(
            "first_time_rate_prev",
            "上年同期一次性办好率",
            kind=ValueKind.RATE,
            help="可选；写法同比率列。",
            example="88.20%",
        ),
        Column(
            "resolution_rate_prev",
            "上年同期问题解决率",
            kind=ValueKind.RATE,
            help="可选；写法同比率列。",
            example="86.00%",
        ),
        Column(
            "satisfaction_rate_prev",
            "上年同期群众满意率",
            kind=ValueKind.RATE,
            help="可选；写法同比率列。",
            example="90.30%",
        ),
    ),
)

PROBLEMS = SheetKind(
    key="problems",
    name="问题清单",
    keywords=("问题",),
    grain="每行一个工作问题（填写其当前状态）",
    columns=(
        UNIT,
        Column(
            "number",
            "问题编号",
            # Never 序号: a row number restarts in every file, and keyed by it one month's ledger overwrites the last.
            ("编号", "台账编号"),
            help="本单位内唯一且不变的编号（不是序号）；再次报送同一编号即更新其状态。没有编号的按问题描述加发现日期认定。",
            example="MZ-2025-001",
        ),
        Column(
            "description",
            "问题描述",
            ("问题", "问题内容", "隐患内容"),
            required=True,
            help="简要描述问题。",
            example="基层办事指南更新不及时",
        ),
        Column(
            "problem_type",
            "问题类别",
            ("类别", "问题类型"),
            help="建议：" + "、".join(SUGGESTED_PROBLEM_TYPES) + "。",
            example="服务群众",
        ),
        Column(
            "found_date",
            "发现日期",
            ("排查日期", "发现时间", "排查时间"),
            kind=ValueKind.DATE,
            required=True,
            help="发现问题的日期。",
            example="2025-02-10",
        ),
        Column(
            "status",
            "整改状态",
            ("状态", "化解情况", "整改进展"),
            kind=ValueKind.CHOICE,
            choices=PROBLEM_STATUSES,
            required=True,
            help="待化解、化解中或已化解。",
            example="已化解",
        ),
        Column(
            "resolved_date",
            "化解日期",
            ("完成日期", "销号日期", "完成时间"),
            kind=ValueKind.DATE,
            help="已化解的必填，且不早于发现日期；其他状态不填。",
            example="2025-04-30",
        ),
        Column(
            "stage",
            "溯源环节",
            ("环节",),
            kind=ValueKind.CHOICE,
            choices=PROBLEM_STAGES,
            help="点题、破题、解题或验题。",
            example="解题",
        ),
    ),
)

INDICATORS = SheetKind(
    key="indicators",
    name="指标完成",
    keywords=("指标",),
    grain="每个单位、每项指标、每个统计期间一行",
    columns=(
        UNIT,
        Column(
            "indicator_type",
            "指标类型",
            kind=ValueKind.CHOICE,
            choices=INDICATOR_TYPES,
            required=True,
            help="共性指标或个性指标。",
            example="共性指标",
        ),
        Column(
            "indicator", "指标名称", ("三级指标",), required=True, help="指标的名称。", example="理论学习中心组学习次数"
        ),
        Column("measure_unit", "计量单位", help="如 次、%、件。", example="次"),
        Column("target", "目标值", kind=ValueKind.NUMBER, help="数字。", example=12),
        Column(
            "actual",
            "完成值",
            ("指标值", "实际完成值"),
            kind=ValueKind.NUMBER,
            required=True,
            help="数字。",
            example=10,
        ),
        Column(
            "direction",
            "指标方向",
            kind=ValueKind.CHOICE,
            choices=INDICATOR_DIRECTIONS,
            help="越高越好（默认）或越低越好。",
            example="越高越好",
        ),
        Column(
            "period",
            "统计期间",
            kind=ValueKind.PERIOD,
            help="如 2025年10月、2025年第三季度、2025年；不填按文件的报送期间。",
            example="2025年1-10月",
        ),
    ),
)

SHEET_KINDS: tuple[SheetKind, ...] = (LEARNING, HOTLINE, PROBLEMS, INDICATORS)
SHEET_KIND_BY_KEY: dict[str, SheetKind] = {kind.key: kind for kind in SHEET_KINDS}

# Sheet-name keywords in the order the contract gives (§2): 热线/12345 before 学习 before 问题 before 指标.
KIND_KEYWORD_ORDER: tuple[tuple[str, SheetKind], ...] = (
    ("热线", HOTLINE),
    ("12345", HOTLINE),
    ("学习", LEARNING),
    ("问题", PROBLEMS),
    ("指标", INDICATORS),
)

# Sheets that hold no data of their own and are skipped with a notice.
INFO_SHEET = "基本信息"
INFO_KEYS: dict[str, tuple[str, ...]] = {
    "unit": ("填报单位", "报送单位", "单位名称"),
    "period": ("报送期间", "统计期间", "报送期"),
    "filler": ("填报人", "填表人"),
    "phone": ("联系电话", "电话"),
    "headcount": ("在职人数", "在编在岗人数", "干部职工人数"),
}

# Rows whose first cells read one of these are totals, not data.
TOTAL_LABELS: tuple[str, ...] = ("合计", "总计", "小计")
# Rows that start with one of these labels are footers, not data.
FOOTER_LABELS: tuple[str, ...] = (
    "填表人",
    "填报人",
    "审核人",
    "制表人",
    "负责人",
    "单位负责人",
    "主要负责人",
    "分管负责人",
    "分管领导",
    "联系人",
    "经办人",
    "统计人",
    "联系电话",
    "填表日期",
    "填报日期",
    "填报单位",  # 「填报单位（盖章）：××  填报日期：××」 under the table
    "单位（盖章）",
    "单位(盖章)",
    "制表：",
    "制表:",
    "审核：",
    "审核:",
    "日期：",
    "日期:",
    "备注：",
    "备注:",
    "注：",
    "注:",
    "说明：",
    "说明:",
    "填报说明",
    "填表说明",
)

CLOSURE_TARGET = 0.9


# -- 12345 ticket exports (工单明细) -------------------------------------------------------------------------------
# The 12345 platform exports every ticket, one row each. A file whose header names a 工单编号, a 受理时间 and a
# 承办单位 is such an export: its tickets become each unit's 热线指标 for the months they were accepted in, by the
# rules of TICKET_RULES below (lingyi/intake/tickets.py works them out; the filling instructions print them).

_YES_NO_ALIASES = {
    "y": "是",
    "yes": "是",
    "1": "是",  # Shandong's platform codes yes/no as 1/2
    "√": "是",
    "对": "是",
    "n": "否",
    "no": "否",
    "0": "否",
    "2": "否",
    "×": "否",
}
YES_NO = Choices(values=("是", "否"), aliases=_YES_NO_ALIASES)
FIRST_TIME_CHOICES = Choices(
    values=("是", "否"), aliases={**_YES_NO_ALIASES, "一次办好": "是", "一次性办结": "是", "非一次办好": "否"}
)
RESOLVED_CHOICES = Choices(
    values=("是", "否"), aliases={**_YES_NO_ALIASES, "已解决": "是", "解决": "是", "未解决": "否", "不解决": "否"}
)

SATISFACTION_CHOICES = Choices(
    values=("满意", "基本满意", "不满意", "未评价"),
    aliases={
        "非常满意": "满意",
        "很满意": "满意",
        "比较满意": "基本满意",
        "一般": "基本满意",
        "一般满意": "基本满意",
        "不太满意": "不满意",
        "很不满意": "不满意",
        "非常不满意": "不满意",
        "未回访": "未评价",
        "无法联系": "未评价",
        "拒绝评价": "未评价",
        "未接通": "未评价",
        "不予评价": "未评价",
    },
)
UNRATED = "未评价"
SATISFIED = ("满意", "基本满意")

TICKET_COLUMNS: tuple[Column, ...] = (
    Column(
        "ticket",
        "工单编号",
        ("工单号", "诉求编号", "受理编号", "工单流水号"),
        required=True,
        help="平台的工单编号；同一编号出现多次只计一件（以最后一行为准）。",
    ),
    Column(
        "accepted_at",
        "受理时间",
        ("受理日期", "登记时间", "来电时间", "创建时间", "推送时间", "派单时间"),
        kind=ValueKind.DATE,
        required=True,
        help="工单计入受理时间所在的月份。",
    ),
    Column("closed_at", "办结时间", ("办结日期", "完成时间", "结案时间"), kind=ValueKind.DATE, help="不参与计算。"),
    Column(
        "unit",
        "承办单位",
        ("办理单位", "责任单位", "承办部门", "主办单位"),
        required=True,
        help="单位全称、简称或名录中的别名（含旧称）；以名录中单位名称开头的科室、分局（如「市民政局社会救助科」）"
        "计入该单位。",
    ),
    Column("appeal_type", "诉求类型", ("诉求分类", "工单类型", "诉求类别"), help="无效来电等不计入诉求量，见下。"),
    Column(
        "first_time",
        "是否一次性办结",
        ("一次办好", "是否一次办好", "是否一次性办好", "一次性办结"),
        kind=ValueKind.CHOICE,
        choices=FIRST_TIME_CHOICES,
        help="是或否；空白的不计入一次性办好率。",
    ),
    Column(
        "resolved",
        "是否解决",
        ("问题是否解决", "解决情况", "是否已解决"),
        kind=ValueKind.CHOICE,
        choices=RESOLVED_CHOICES,
        help="是或否；空白（尚未办结）的不计入问题解决率。",
    ),
    Column(
        "satisfaction",
        "满意度评价",
        ("满意度", "群众评价", "评价结果", "回访评价"),
        kind=ValueKind.CHOICE,
        choices=SATISFACTION_CHOICES,
        help="满意、基本满意、不满意或未评价；空白按未评价。",
    ),
    Column(
        "repeated",
        "是否重复件",
        ("重复件", "是否重复", "重复工单"),
        kind=ValueKind.CHOICE,
        choices=YES_NO,
        help="是或否；没有此列或空白按否。",
    ),
    Column("callback_at", "回访时间", ("回访日期",), kind=ValueKind.DATE, help="不参与计算。"),
)
TICKET_COLUMN_BY_KEY: dict[str, Column] = {column.key: column for column in TICKET_COLUMNS}

# 诉求类型 whose tickets are not appeals at all: they count nowhere.
NON_APPEAL_TYPES: tuple[str, ...] = ("无效来电", "无效工单", "骚扰电话", "测试工单", "误拨")

# How the monthly figures are worked out from the tickets: stated once, printed in 填报说明, tested on hand-made
# tickets (tests/test_tickets.py). (figure, rule)
TICKET_RULES: tuple[tuple[str, str], ...] = (
    ("月份与单位", "每件工单计入其「受理时间」所在月份、其「承办单位」对应的名录单位。"),
    (
        "诉求量",
        "当月受理的工单件数：同一工单编号只计一次；诉求类型为"
        + "、".join(NON_APPEAL_TYPES)
        + "的哪里都不计（也不必有承办单位和受理时间）；重复件计入。",
    ),
    (
        "一次性办好率",
        "「是否一次性办结」为「是」且不是重复件的工单 ÷ 该项填了是或否的工单；重复件一律按「否」计（同一诉求又来一次，"
        "即不是一次办好）；空白不计入分子分母。",
    ),
    (
        "问题解决率",
        "「是否解决」为「是」的工单 ÷ 该项填了是或否的工单，均不含重复件（重复件随首次工单计）；空白（未办结）不计。",
    ),
    (
        "群众满意率",
        "（满意 + 基本满意）÷（满意 + 基本满意 + 不满意），均不含重复件；未评价（含空白、未回访）不计入分子分母。",
    ),
    ("无法计算", "某项的分母为 0 时，该月该比率为空，不作 0 计。"),
    ("上年同期", "工单导出不含上年同期数，同比取系统中上年同月的数据（可再导入上年的工单）。"),
)

# Where both a unit's own 热线指标 return and the tickets give a month, which one the figures use (a setting).
HOTLINE_SOURCES: dict[str, str] = {
    "tickets": "以工单数据为准",
    "returns": "以单位报表为准",
    "newest": "以最新入库的为准",
}
DEFAULT_HOTLINE_SOURCE = "tickets"
TICKETS_SOURCE = "tickets"  # what a submission made from a ticket export records as its source
