"""lingyi/values.py: cells as offices write them → numbers, rates, dates, months and periods (spec §2, §4)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingyi.values import (
    EXCEL_EPOCH,
    MAX_COUNT,
    BadValue,
    CellError,
    Period,
    RawRate,
    add_months,
    clean_text,
    column_letter,
    decode_text,
    excel_error,
    excel_error_message,
    is_empty,
    mixed_encoding,
    month_label,
    months_between,
    parse_count,
    parse_date,
    parse_month,
    parse_number,
    parse_period,
    parse_rate,
    rate_as_fraction,
    rate_column_is_fractions,
)

FULL_WIDTH_DIGITS = str.maketrans("0123456789,", "０１２３４５６７８９，")


def excel_serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


# -- numbers --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (1234, 1234),
        (1234.0, 1234),
        ("1234", 1234),
        ("1,234", 1234),
        ("1，234", 1234),
        ("12,345,678", 12345678),
        ("８１２", 812),
        ("１，２３４", 1234),
        ("812人次", 812),
        ("812 人次", 812),
        ("3期", 3),
        ("12节", 12),
        ("5场", 5),
        ("1.2万人次", 12000),
        ("  42  ", 42),
        ("3.0", 3),
        ("0", 0),
        ("-5", -5),  # a count's minimum is the column's rule, checked in validation
        (None, None),
        ("", None),
        ("-", None),
        ("—", None),
        ("/", None),
        ("无", None),
    ],
)
def test_count_is_read_from_what_offices_write(cell, expected):
    assert parse_count(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("3.5", "应为整数，请不要填写小数。"),
        (2.5, "应为整数，请不要填写小数。"),
        ("abc", "无法识别为数字，请只填写数字，如 1234。"),
        ("约100", "无法识别为数字"),
        ("12kg", "无法识别为整数，请只填写数字，如 812。"),
        (dt.date(2025, 3, 15), "这里应填数字，不是日期。"),
    ],
)
def test_count_that_is_not_a_whole_number_says_what_to_write(cell, message):
    with pytest.raises(BadValue, match=message):
        parse_count(cell)


@pytest.mark.parametrize(
    "cell",
    [
        "1e308",
        1e308,
        "1e19",
        1e19,
        "9223372036854775808",
        9223372036854775808,
        "1,000,000,001",
        -(10**9) - 1,
        "1e9000",
        "1000001万人次",
    ],
)
def test_count_beyond_a_billion_is_out_of_range_and_says_so(cell):
    with pytest.raises(BadValue, match="数值超出范围：整数不能超过 1,000,000,000"):
        parse_count(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(MAX_COUNT, MAX_COUNT), ("1,000,000,000", MAX_COUNT), (-MAX_COUNT, -MAX_COUNT), ("100000万人次", MAX_COUNT)],
)
def test_count_up_to_a_billion_is_read(cell, expected):
    assert parse_count(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("1,234.5", 1234.5), ("-3", -3.0), ("95%", 95.0), ("１２.５", 12.5), (7, 7.0), ("12次", 12.0), ("", None)],
)
def test_number_accepts_separators_full_width_and_units(cell, expected):
    assert parse_number(cell) == expected


def test_number_with_digits_after_it_is_an_error():
    with pytest.raises(BadValue, match="无法识别为数字"):
        parse_number("12a3")


@given(st.integers(min_value=-MAX_COUNT, max_value=MAX_COUNT))
def test_any_int_written_with_thousands_separators_parses_back(n):
    assert parse_count(f"{n:,}") == n


@given(st.integers(min_value=0, max_value=MAX_COUNT))
def test_any_int_written_in_full_width_digits_parses_back(n):
    assert parse_count(f"{n:,}".translate(FULL_WIDTH_DIGITS)) == n


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["人次", "人", "次", "期", "节", "场次", "件"]))
def test_any_int_with_a_count_suffix_parses_back(n, suffix):
    assert parse_count(f"{n}{suffix}") == n


# -- rates ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (0.9372, RawRate(0.9372, False)),
        ("0.9372", RawRate(0.9372, False)),
        (93.72, RawRate(93.72, False)),
        ("93.72%", RawRate(93.72, True)),
        ("93.72 %", RawRate(93.72, True)),
        ("９３.７２％", RawRate(93.72, True)),
        ("", None),
        (None, None),
    ],
)
def test_rate_is_read_as_written(cell, expected):
    assert parse_rate(cell) == expected


@pytest.mark.parametrize("cell", ["九成", "93.72‰", "93.72分"])
def test_rate_that_is_not_a_number_says_how_to_write_it(cell):
    with pytest.raises(BadValue, match=r"请填写如 0\.9372、93\.72 或 93\.72%"):
        parse_rate(cell)


@pytest.mark.parametrize(
    ("column", "fractions"),
    [
        ([0.9372, 0.95, 1], True),
        ([0.9372, None, 0.8], True),
        ([93.72, 95.0], False),
        ([0.95, 93.72], False),  # one value above 1: the whole column is percentages
        (["93.72%", 0.95], True),  # 「93.72%」 is a percentage whatever the column; the bare 0.95 is a fraction
        (["93.72%", "95%"], True),
        ([], True),
    ],
)
def test_rate_column_whose_bare_values_are_all_at_most_one_is_fractions(column, fractions):
    assert rate_column_is_fractions([parse_rate(c) for c in column]) is fractions


@pytest.mark.parametrize(
    ("cell", "column_is_fractions", "expected"),
    [
        (0.9372, True, 0.9372),
        (93.72, False, 0.9372),
        ("93.72%", True, 0.9372),
        ("93.72%", False, 0.9372),
        (1, True, 1.0),
        (100, False, 1.0),
        ("100%", True, 1.0),
        (0, True, 0.0),
    ],
)
def test_rate_is_stored_as_a_fraction(cell, column_is_fractions, expected):
    assert rate_as_fraction(parse_rate(cell), column_is_fractions) == pytest.approx(expected)


@pytest.mark.parametrize(("cell", "column_is_fractions"), [(105, False), ("100.5%", True), (-0.1, True), (-5, False)])
def test_rate_outside_zero_to_hundred_percent_is_an_error(cell, column_is_fractions):
    with pytest.raises(BadValue, match="比率应在0%到100%之间"):
        rate_as_fraction(parse_rate(cell), column_is_fractions)


@given(
    st.lists(st.floats(min_value=0, max_value=1, allow_nan=False), min_size=1, max_size=12).filter(
        lambda xs: max(xs) > 0.01
    )
)
def test_a_fraction_column_and_its_percentage_column_give_the_same_rates(fractions):
    """0.9372 in one return and 93.72 in another are the same rate (when some value shows it is a percentage)."""

    def read(column):
        raw = [parse_rate(c) for c in column]
        as_fractions = rate_column_is_fractions(raw)
        return [rate_as_fraction(r, as_fractions) for r in raw]

    percentages = [f * 100 for f in fractions]
    texts = [f"{p}%" for p in percentages]
    assert read(percentages) == pytest.approx(read(fractions))
    assert read(texts) == pytest.approx(read(fractions))
    assert read(fractions) == pytest.approx(fractions)


# -- dates and months -----------------------------------------------------------------------------------------

MARCH_15 = dt.date(2025, 3, 15)


@pytest.mark.parametrize(
    "cell",
    [
        MARCH_15,
        dt.datetime(2025, 3, 15, 0, 0),
        dt.datetime(2025, 3, 15, 14, 30),
        excel_serial(MARCH_15),
        float(excel_serial(MARCH_15)),
        str(excel_serial(MARCH_15)),
        "2025-03-15",
        "2025-3-15",
        "2025/3/15",
        "2025/03/15",
        "2025.03.15",
        "2025.3.15",
        "2025年3月15日",
        "2025年03月15日",
        "２０２５年３月１５日",
        "20250315",
        20250315,
        "2025-03-15 00:00:00",
        " 2025-03-15 ",
        "2025 年 3 月 15 日",
        "2025. 3. 15",
        "2025年3月15号",
    ],
)
def test_date_is_read_in_every_form_offices_write(cell):
    assert parse_date(cell) == MARCH_15


@pytest.mark.parametrize(
    "cell", ["2025-03-15至2025-06-30", "2025年3月15日-6月30日", "2025.3.15～2025.3.19", "2025/3/15—3/19"]
)
def test_series_of_sessions_is_dated_by_its_first_day(cell):
    assert parse_date(cell) == MARCH_15


@pytest.mark.parametrize(("cell", "message"), [("2025-02-30", "没有这一天（2025年2月30日）"), ("下周一", "请填写日期")])
def test_date_that_is_not_a_date_says_how_to_write_one(cell, message):
    with pytest.raises(BadValue, match=message) as raised:
        parse_date(cell)
    assert "2025年3月15日" in str(raised.value)


@pytest.mark.parametrize("cell", [None, "", "-", "无"])
def test_empty_date_is_none(cell):
    assert parse_date(cell) is None


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_any_date_written_in_each_supported_form_parses_back(day):
    forms = [
        day,
        dt.datetime.combine(day, dt.time()),
        excel_serial(day),
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        f"{day.year}年{day.month}月{day.day}日",
    ]
    assert [parse_date(form) for form in forms] == [day] * len(forms)


@pytest.mark.parametrize(
    "cell",
    [
        "2025-03",
        "2025-3",
        "2025/03",
        "2025.03",
        "2025年3月",
        "2025年03月",
        "2025年3月份",
        "202503",
        202503,
        MARCH_15,
        dt.datetime(2025, 3, 1),
        "2025-03-15",
        "2025年3月15日",
        excel_serial(MARCH_15),
        "2025 年 3 月",
    ],
)
def test_month_is_read_in_every_form_offices_write(cell):
    assert parse_month(cell) == 202503


@pytest.mark.parametrize(("cell", "message"), [("2025-13", "月份应在1到12之间"), ("三月", "请填写月份")])
def test_month_that_is_not_a_month_says_how_to_write_one(cell, message):
    with pytest.raises(BadValue, match=message):
        parse_month(cell)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_any_month_written_in_each_supported_form_parses_back(day):
    month = day.year * 100 + day.month
    forms = [f"{day.year}-{day.month:02d}", f"{day.year}年{day.month}月", f"{day.year}{day.month:02d}", day]
    assert [parse_month(form) for form in forms] == [month] * len(forms)


# -- periods --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2025年10月", 202510, 202510, "2025年10月"),
        ("2025-10", 202510, 202510, "2025年10月"),
        ("202510", 202510, 202510, "2025年10月"),
        ("2025年第三季度", 202507, 202509, "2025年第三季度"),
        ("2025年第一季度", 202501, 202503, "2025年第一季度"),
        ("2025年第4季度", 202510, 202512, "2025年第四季度"),
        ("2025Q2", 202504, 202506, "2025年第二季度"),
        ("2025年", 202501, 202512, "2025年"),
        ("2025年度", 202501, 202512, "2025年"),
        ("2025", 202501, 202512, "2025年"),
        ("2025年1-10月", 202501, 202510, "2025年1-10月"),
        ("2025年1—10月", 202501, 202510, "2025年1-10月"),
        ("2025年1月至10月", 202501, 202510, "2025年1-10月"),
        ("2025年 1-10 月", 202501, 202510, "2025年1-10月"),
        ("2024年11月-2025年2月", 202411, 202502, "2024年11月-2025年2月"),
        ("2024-11至2025-02", 202411, 202502, "2024年11月-2025年2月"),
        ("2025年上半年", 202501, 202506, "2025年1-6月"),
        ("2025年下半年", 202507, 202512, "2025年7-12月"),
    ],
)
def test_period_is_a_month_quarter_year_or_range(text, start, end, label):
    period = parse_period(text)
    assert (period.start, period.end, period.label) == (start, end, label)


def test_period_label_reads_back_as_the_same_period():
    for period in (Period(202510, 202510), Period(202507, 202509), Period(202501, 202512), Period(202501, 202510)):
        assert parse_period(period.label) == period


@pytest.mark.parametrize(("text", "message"), [("2025年10-1月", "起始月份晚于结束月份"), ("上个月", "请填写报送期间")])
def test_period_that_cannot_be_read_says_how_to_write_one(text, message):
    with pytest.raises(BadValue, match=message):
        parse_period(text)


def test_period_contains_and_overlaps_whole_months():
    quarter = Period(202507, 202509)
    assert [quarter.contains(m) for m in (202506, 202507, 202509, 202510)] == [False, True, True, False]
    assert quarter.overlaps(Period(202509, 202512))
    assert not quarter.overlaps(Period(202510, 202512))
    assert Period.spanning([202503, 202501, 202507]) == Period(202501, 202507)


# -- small helpers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "count", "expected"),
    [(202503, 1, 202504), (202512, 1, 202601), (202501, -1, 202412), (202510, -12, 202410)],
)
def test_add_months_crosses_years(month, count, expected):
    assert add_months(month, count) == expected


def test_months_between_lists_every_month_of_a_span():
    assert months_between(202411, 202502) == [202411, 202412, 202501, 202502]
    assert month_label(202503) == "2025-03"


@pytest.mark.parametrize(("index", "letter"), [(0, "A"), (8, "I"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letter_is_as_excel_shows_it(index, letter):
    assert column_letter(index) == letter


@pytest.mark.parametrize(
    ("cell", "text"),
    [("  临沂市民政局 ", "临沂市民政局"), ("（第1期）", "(第1期)"), (3.0, "3"), (float("nan"), ""), (None, "")],
)
def test_clean_text_trims_and_folds_full_width(cell, text):
    assert clean_text(cell) == text


@pytest.mark.parametrize(("cell", "empty"), [("", True), ("  ", True), ("无", True), ("N/A", True), ("0", False)])
def test_dash_slash_and_none_marks_are_empty(cell, empty):
    assert is_empty(cell) is empty


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        (CellError("#DIV/0!"), "#DIV/0!"),
        ("#N/A", "#N/A"),
        (" #value! ", "#VALUE!"),
        ("#NAME?", "#NAME?"),
        ("#REF!", "#REF!"),
        ("#NUM!", "#NUM!"),
        ("#NULL!", "#NULL!"),
        ("#1", None),
        ("问题#REF!", None),
        ("n/a", None),
        ("", None),
        (None, None),
        (0, None),
    ],
)
def test_excel_error_is_known_from_an_error_cell_or_its_text(cell, code):
    assert excel_error(cell) == code


def test_excel_error_message_says_what_the_error_means_and_what_to_write():
    assert excel_error_message("#DIV/0!", "数值") == "单元格是公式错误 #DIV/0!（除数为0），请改为数值后重新上传。"
    assert excel_error_message("#SPILL!", "日期") == "单元格是公式错误 #SPILL!，请改为日期后重新上传。"


UTF8_LINE = "临沂市民政局,读书会\r\n".encode()
GBK_LINE = "临沂市财政局,讲堂\r\n".encode("gbk")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a,b\r\n" + UTF8_LINE * 3, "a,b\r\n" + "临沂市民政局,读书会\r\n" * 3),
        (b"\xef\xbb\xbf" + UTF8_LINE, "临沂市民政局,读书会\r\n"),
        (GBK_LINE * 3, "临沂市财政局,讲堂\r\n" * 3),
        ("单位名称\r\n".encode("utf-16"), "单位名称\r\n"),
        (UTF8_LINE * 3 + GBK_LINE, None),  # GB18030 would read it, the UTF-8 lines as other characters
        (GBK_LINE * 3 + UTF8_LINE, None),
    ],
)
def test_text_is_decoded_in_its_one_encoding_and_never_as_the_wrong_one(data, expected):
    assert decode_text(data) == expected


@pytest.mark.parametrize(
    ("data", "lines", "encoding", "found"),
    [
        (b"a,b\r\n" + UTF8_LINE * 5 + GBK_LINE + UTF8_LINE, (7,), "UTF-8", "GBK"),
        (b"a,b\r\n" + UTF8_LINE * 5 + GBK_LINE * 2 + UTF8_LINE, (7, 8), "UTF-8", "GBK"),
        (b"\xef\xbb\xbf" + UTF8_LINE * 2 + GBK_LINE, (3,), "UTF-8", "GBK"),
        (GBK_LINE * 4 + UTF8_LINE, (5,), "GBK", "UTF-8"),
        (UTF8_LINE * 4 + b"\x80\xff,x\r\n" + GBK_LINE, (5,), "UTF-8", None),  # neither, named first
    ],
)
def test_mixed_encoding_names_the_lines_not_in_the_files_encoding(data, lines, encoding, found):
    mixed = mixed_encoding(data)
    assert (mixed.line, mixed.lines, mixed.encoding, mixed.found) == (lines[0], lines, encoding, found)


@pytest.mark.parametrize(
    "data", [UTF8_LINE * 3, GBK_LINE * 3, b"a,b\r\n" * 3, "单位名称".encode("utf-16") + b"\x80\x80"]
)
def test_a_file_in_one_encoding_is_not_mixed(data):
    assert mixed_encoding(data) is None


def test_mixed_encoding_message_says_what_the_lines_are_and_what_to_do():
    one = mixed_encoding(UTF8_LINE * 5 + GBK_LINE)
    assert one.message == (
        "这一行不是 UTF-8 编码（疑似混入了 GBK 文字），而文件其余各行是 UTF-8。请把整份文件另存为 UTF-8 或 GBK 后再上传。"
    )
    many = mixed_encoding(UTF8_LINE * 20 + (GBK_LINE + UTF8_LINE) * 6)
    assert many.message.startswith("这一行（共 6 行：第 21、23、25、27、29 等 行）不是 UTF-8 编码")
