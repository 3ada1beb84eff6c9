"""Raw tables → typed frames, with every error and warning of the file (spec §3–4).

Each cell is parsed by its contract column; each distinct raw value is parsed once
(units, dates and statuses repeat down a column). Errors never stop the pass: a unit
sees all its mistakes at once, each located by sheet, Excel row and column.
"""

from __future__ import annotations

import functools
import operator
from collections import Counter

from lingyi.contract import Column, ValueKind
from lingyi.errors import Finding, Level
from lingyi.intake.info import TITLE_PERIOD
from lingyi.intake.raw import InfoCell, RawTable, ReadFile
from lingyi.intake.rules import RULES, check_duplicates_across_sheets
from lingyi.intake.valid import ValidatedFile, ValidTable
from lingyi.registry import Registry, normalise
from lingyi.values import (
    BadValue,
    Period,
    RawRate,
    clean_text,
    column_letter,
    excel_error,
    excel_error_message,
    month_number,
    parse_count,
    parse_date,
    parse_month,
    parse_number,
    parse_period,
    parse_rate,
    rate_as_fraction,
    rate_column_is_fractions,
)


def validate(
    read: ReadFile,
    registry: Registry,
    *,
    period: Period | None = None,
    default_unit: str | None = None,
) -> ValidatedFile:
    """Check a read file against the contract. ``period`` overrides the declared 报送期间."""
    findings = list(read.findings)
    headcount: dict[str, int] = {}
    # A consolidated file whose every sheet names each row's unit may come from an office that is none of the
    # registry's (市12345热线办公室, 市委组织部 …): its 填报单位 is who sent it (spec §2).
    rows_name_units = bool(read.tables) and all("unit" in table.columns for table in read.tables)
    file_unit = _file_unit(
        read.info.get("unit"),
        default_unit,
        registry,
        read.name,
        findings,
        where=read.info_cells.get("unit"),
        sender=rows_name_units,
    )
    if file_unit and read.info.get("headcount"):
        try:
            count = parse_count(read.info["headcount"])
            if count:
                headcount[file_unit] = count
        except BadValue:
            findings.append(
                _info_finding(
                    Level.WARNING,
                    read.name,
                    "在职人数无法识别为整数，已忽略。",
                    read.info["headcount"],
                    read.info_cells.get("headcount"),
                )
            )
    tables = []
    for raw in read.tables:
        # A sheet whose own title line names its unit (「填报单位：…」) is that unit's, whatever the others say.
        own = raw.info.get("unit")
        sheet_unit = file_unit
        if own and not default_unit and own != read.info.get("unit"):
            sheet_unit = _file_unit(
                own,
                None,
                registry,
                read.name,
                findings,
                sheet=raw.sheet,
                where=raw.info_cells.get("unit"),
                sender="unit" in raw.columns,
            )
        checker = _TableCheck(raw, registry, findings, sheet_unit, read, period)
        table = checker.run()
        if table is not None:
            tables.append(table)
    check_duplicates_across_sheets(tables, read.name, findings)
    if read.tables and not any(t.row_count for t in tables) and not any(f.is_error for f in findings):
        # A template sent back empty: accepting it would store nothing and still say 已入库.
        findings.append(Finding(Level.ERROR, read.name, _NO_ROWS_MESSAGE))
    return ValidatedFile(read.name, tables, findings, headcount)


_EQUAL_ACROSS_TYPES = frozenset({int, float, bool})
_NO_ROWS_MESSAGE = "文件中没有数据行：表头下面没有填写任何数据，未入库。请填写数据后再上传。"


def _file_unit(
    declared: str | None,
    default_unit: str | None,
    registry: Registry,
    file_name: str,
    findings: list[Finding],
    sheet: str | None = None,
    where: InfoCell | None = None,
    sender: bool = False,
) -> str | None:
    """The registry unit a 填报单位 names; ``sender``: the rows name their own units, so a 填报单位 outside the
    registry is only who sent the file (a notice, not an error)."""
    if default_unit:
        return registry.resolve(default_unit).name
    if not declared:
        return None
    unit = registry.match(declared)
    if unit is None and sender:
        message = f"填报单位「{declared}」不是名录中的单位，按报送方处理；各行按其「单位名称」计入单位。"
        findings.append(_info_finding(Level.NOTICE, file_name, message, declared, where, sheet))
        return None
    if unit is None:
        suggestions = registry.suggest(declared)
        hint = f"您是不是要找：{'、'.join(suggestions)}？" if suggestions else "请填写名录中的单位全称或简称。"
        message = f"填报单位「{declared}」不在单位名录中。{hint}"
        findings.append(_info_finding(Level.ERROR, file_name, message, declared, where, sheet))
        return None
    return unit.name


def _info_finding(
    level: Level, file_name: str, message: str, value: str, where: InfoCell | None, sheet: str | None = None
) -> Finding:
    """A finding about the file's 填报单位, 报送期间 …, at the cell of the title line or 基本信息 it was read from."""
    if where is None:
        return Finding(level, file_name, message, sheet=sheet, value=value)
    return Finding(
        level,
        file_name,
        message,
        sheet=where.sheet,
        row=where.row,
        column=column_letter(where.column),
        column_name=where.label,
        value=value,
    )


class _TableCheck:
    def __init__(
        self,
        raw: RawTable,
        registry: Registry,
        findings: list[Finding],
        file_unit: str | None,
        read: ReadFile,
        period: Period | None,
    ):
        self.raw = raw
        self.kind = raw.kind
        self.registry = registry
        self.findings = findings
        self.file_unit = file_unit
        self.read = read
        self.period_override = period
        self.bad_rows: set[int] = set()

    # -- findings ---------------------------------------------------------------------------------------------

    def _finding(self, level: Level, message: str, row: int | None = None, key: str | None = None, value=None):
        column = self.raw.columns.get(key) if key else None
        self.findings.append(
            Finding(
                level,
                self.raw.file,
                message,
                sheet=self.raw.sheet,
                row=row,
                column=column_letter(column.index) if column else None,
                column_name=column.header if column else (self.kind.column(key).name if key else None),
                value=None if value is None else clean_text(value),
            )
        )

    def error(self, message: str, row: int | None = None, key: str | None = None, value=None) -> None:
        if row is not None:
            self.bad_rows.add(row)
        self._finding(Level.ERROR, message, row, key, value)

    def warning(self, message: str, row: int | None = None, key: str | None = None, value=None) -> None:
        self._finding(Level.WARNING, message, row, key, value)

    # -- the pass ---------------------------------------------------------------------------------------------

    def run(self) -> ValidTable | None:
        if not self._check_columns():
            return None
        row_numbers = [number for number, _ in self.raw.rows]
        values: dict[str, list] = {}
        for column in self.kind.columns:
            if column.key == "unit":
                values["unit"] = self._units(row_numbers)
            elif column.key == "month" and column.key not in self.raw.columns:
                # A 热线指标 sheet without 月份: every row is the one month declared (_check_columns saw to it).
                values["month"] = [self._declared_month()] * len(row_numbers)
            elif column.key in self.raw.columns:
                values[column.key] = self._parse_column(column, row_numbers)
            else:
                values[column.key] = [None] * len(row_numbers)
        declared = self._declared_period()
        RULES[self.kind.key](self, values, row_numbers, declared)
        self._check_totals(values, row_numbers)
        if declared is not None:
            period = declared
        elif months := self._row_months(values):
            period = Period.spanning(months)
        elif not row_numbers:
            self._finding(Level.NOTICE, "表中没有数据行，已跳过。")
            return None
        else:
            return None
        # Object columns keep None as None and whole numbers as int: the store writes them as they are.
        columns = {**values, "sheet": [self.raw.sheet] * len(row_numbers), "row": row_numbers}
        if not row_numbers:
            self._finding(Level.NOTICE, "表中没有数据行。")
        headers = {key: (column_letter(found.index), found.header) for key, found in self.raw.columns.items()}
        return ValidTable(self.kind, self.raw.sheet, period, declared is not None, columns, headers)

    def _check_columns(self) -> bool:
        ok = True
        for column in self.kind.required:
            if column.key in self.raw.columns:
                continue
            if column.key == "unit" and self.file_unit:
                continue
            if column.key == "month" and self._declared_month() is not None:
                continue
            if column.key == "unit":
                message = (
                    "缺少「单位名称」列，文件也没有写明填报单位。请增加「单位名称」列，或在表头上方写「填报单位：××」。"
                )
            else:
                other = f"（也可写作：{'、'.join(column.aliases)}）" if column.aliases else ""
                message = f"缺少必填列「{column.name}」{other}，请按模板补充这一列。"
                if column.key == "month":
                    message = (
                        message.removesuffix("。") + "，或在表头上方写明报送期间（一个月，如「报送期间：2025年4月」）。"
                    )
            self.findings.append(
                Finding(Level.ERROR, self.raw.file, message, sheet=self.raw.sheet, row=self.raw.header_row)
            )
            ok = False
        for key, found in self.raw.columns.items():
            if found.by_alias:
                canonical = self.kind.column(key).name
                self.findings.append(
                    Finding(
                        Level.WARNING,
                        self.raw.file,
                        f"列「{found.header}」按「{canonical}」读取。",
                        sheet=self.raw.sheet,
                        row=self.raw.header_row,
                        column=column_letter(found.index),
                        column_name=found.header,
                    )
                )
        return ok

    def _cells(self, key: str) -> list:
        index = self.raw.columns[key].index
        if index < self._narrowest_row:
            return list(map(operator.itemgetter(index), self._row_cells))
        return [cells[index] if index < len(cells) else None for cells in self._row_cells]

    @functools.cached_property
    def _row_cells(self) -> list[list]:
        return [cells for _, cells in self.raw.rows]

    @functools.cached_property
    def _narrowest_row(self) -> int:
        return min(map(len, self._row_cells), default=0)

    def _units(self, row_numbers: list[int]) -> list[str | None]:
        cells = self._cells("unit") if "unit" in self.raw.columns else [None] * len(row_numbers)
        resolved: dict[str, str | None] = {}
        aliased: Counter[str] = Counter()
        out: list[str | None] = []
        texts: dict = {}
        for row, cell in zip(row_numbers, cells):
            text = texts.get(cell)
            if text is None:
                text = texts[cell] = clean_text(cell)
            if not text:
                if self.file_unit:
                    out.append(self.file_unit)
                else:
                    self.error("单位名称为空，请填写单位全称或简称。", row, "unit")
                    out.append(None)
                continue
            if text[:1] == "#" and (code := excel_error(text)):
                self.error(excel_error_message(code, "单位全称或简称"), row, "unit", cell)
                out.append(None)
                continue
            if text not in resolved:
                unit = self.registry.match(text)
                resolved[text] = unit.name if unit else None
                if unit and normalise(text) not in (normalise(unit.name), normalise(unit.short_name)):
                    aliased[text] = 0
            name = resolved[text]
            if name is None:
                suggestions = self.registry.suggest(text)
                hint = f"您是不是要找：{'、'.join(suggestions)}？" if suggestions else "请填写名录中的单位全称或简称。"
                self.error(f"单位名称不在名录中。{hint}", row, "unit", cell)
            elif text in aliased:
                aliased[text] += 1
            out.append(name)
        for text, count in aliased.items():
            self.warning(f"单位「{text}」按名录中的「{resolved[text]}」统计（共{count}行）。", key="unit", value=text)
        return out

    def _error_cell(self, column: Column, cell: object, *, raising: bool = True) -> BadValue | None:
        """An Excel error value (#DIV/0!, #N/A …) is no value of any column: raised (or returned) as its message."""
        code = excel_error(cell)
        if code is None:
            return None
        failed = BadValue(excel_error_message(code, _ERROR_CELL_FIX[column.kind]))
        if raising:
            raise failed
        return failed

    def _parse_column(self, column: Column, row_numbers: list[int]) -> list:
        cells = self._cells(column.key)
        if column.kind is ValueKind.RATE:
            return self._parse_rates(column, cells, row_numbers)
        if column.kind is ValueKind.CHOICE:
            return self._parse_choices(column, cells, row_numbers)
        if column.kind is ValueKind.TEXT and (plain := _plain_texts(cells)) is not None:
            return plain
        parser = _PARSERS[column.kind]
        # Each distinct cell is parsed once (units, dates, statuses repeat down a column), then looked up per row.
        # 1, 1.0 and True are equal keys but not the same cell: where a column mixes them, a key is (type, cell).
        mixed = len(set(map(type, cells)) & _EQUAL_ACROSS_TYPES) > 1
        keys = list(zip(map(type, cells), cells)) if mixed else cells
        outcomes: dict[object, tuple[object, str | None]] = {}
        for key in dict.fromkeys(keys):
            cell = key[1] if mixed else key
            try:
                value = self._error_cell(column, cell) or parser(cell)
            except BadValue as exc:
                value = exc
            except TypeError:
                value = BadValue("无法识别该值。")
            if isinstance(value, BadValue):
                outcomes[key] = (None, str(value))
            elif value is not None and column.minimum is not None and value < column.minimum:
                outcomes[key] = (None, f"应为不小于{column.minimum}的整数。")
            elif value is None and column.required:
                outcomes[key] = (None, f"「{column.name}」为必填项，不能为空。")
            else:
                outcomes[key] = (value, None)
        if any(message is not None for _, message in outcomes.values()):
            for row, cell, key in zip(row_numbers, cells, keys):
                message = outcomes[key][1]
                if message is not None:
                    self.error(message, row, column.key, cell)
        values = {key: value for key, (value, _) in outcomes.items()}
        return list(map(values.__getitem__, keys))

    def _parse_rates(self, column: Column, cells: list, row_numbers: list[int]) -> list:
        raw: list[RawRate | None] = []
        for row, cell in zip(row_numbers, cells):
            try:
                raw.append(self._error_cell(column, cell) or parse_rate(cell))
            except BadValue as exc:
                self.error(str(exc), row, column.key, cell)
                raw.append(None)
        fractions = rate_column_is_fractions(raw)
        out = []
        for row, cell, rate in zip(row_numbers, cells, raw):
            if rate is None:
                out.append(None)
                continue
            try:
                out.append(rate_as_fraction(rate, fractions))
            except BadValue as exc:
                self.error(str(exc), row, column.key, cell)
                out.append(None)
        return out

    def _parse_choices(self, column: Column, cells: list, row_numbers: list[int]) -> list:
        choices = column.choices
        allowed = {normalise(v): v for v in choices.values}
        aliases = {normalise(k): v for k, v in choices.aliases.items()}
        mapped: Counter[tuple[str, str]] = Counter()
        empty, unknown = object(), object()

        def choose(cell: object) -> tuple[object, bool]:
            """(the value, or empty/unknown; whether it came through an alias or the fallback)."""
            if (failed := self._error_cell(column, cell, raising=False)) is not None:
                return failed, False
            text = normalise(clean_text(cell))
            if not text or text.lower() in ("-", "—", "/", "无"):
                return empty, False
            if column.key == "stage":
                text = text.removesuffix("环节")
            if text in allowed:
                return allowed[text], False
            if text in aliases:
                return aliases[text], True
            if choices.fallback:
                return choices.fallback, True
            return unknown, False

        mixed = len(set(map(type, cells)) & _EQUAL_ACROSS_TYPES) > 1
        keys = list(zip(map(type, cells), cells)) if mixed else cells
        cache = {key: choose(key[1] if mixed else key) for key in dict.fromkeys(keys)}
        if not any(
            via_alias or value is empty or value is unknown or isinstance(value, BadValue)
            for value, via_alias in cache.values()
        ):
            chosen = {key: value for key, (value, _) in cache.items()}
            return list(map(chosen.__getitem__, keys))  # every cell one of the choices as written: nothing to say
        out = []
        unknown_rows: dict[str, list[tuple[int, object]]] = {}  # a value outside the list → (row, cell) of each
        for row, cell, key in zip(row_numbers, cells, keys):
            found = cache[key]
            value, via_alias = found
            if value is empty:
                if column.required:
                    self.error(f"「{column.name}」为必填项，请填写：{'、'.join(choices.values)}。", row, column.key)
                value = None
            elif value is unknown:
                unknown_rows.setdefault(clean_text(cell), []).append((row, cell))
                value = None
            elif isinstance(value, BadValue):
                self.error(str(value), row, column.key, cell)
                value = None
            elif via_alias:
                mapped[(clean_text(cell), value)] += 1
            out.append(value)
        allowed_text = f"「{column.name}」只能填写：{'、'.join(choices.values)}"
        for text, where in unknown_rows.items():
            # One error per value written, not per row: a ledger with 「整改完了」 in 40 rows says so once.
            (first, cell), last = where[0], where[-1][0]
            if len(where) == 1:
                self.error(f"{allowed_text}。", first, column.key, cell)
                continue
            self.error(
                f"{allowed_text}；「{text}」出现 {len(where)} 次，第 {first}—{last} 行。", first, column.key, cell
            )
            self.bad_rows.update(row for row, _ in where)
        for (text, value), count in mapped.items():
            if normalise(text) in aliases:
                message = f"「{text}」按「{value}」统计（共{count}行）。"
            else:
                message = f"「{text}」不在{'、'.join(choices.values)}之中，按「{value}」统计（共{count}行）。"
            self.warning(message, key=column.key, value=text)
        return out

    # -- periods ----------------------------------------------------------------------------------------------

    def _declared_period(self) -> Period | None:
        if self.period_override is not None:
            return self.period_override
        source, key = (self.raw if self.raw.info.get("period") else self.read), "period"
        if not source.info.get(key) and self.raw.info.get(TITLE_PERIOD):
            # Nothing declares a 报送期间: the period the sheet's title names does (「2025年4月份12345热线…」).
            source, key = self.raw, TITLE_PERIOD
        text = source.info.get(key)
        if not text:
            return None
        try:
            return parse_period(text)
        except BadValue as exc:
            where = source.info_cells.get(key)
            finding = _info_finding(Level.ERROR, self.raw.file, f"报送期间无法识别：{exc}", text, where, self.raw.sheet)
            if finding not in self.findings:  # one 基本信息 read by every sheet: said once
                self.findings.append(finding)
            return None

    def _declared_month(self) -> int | None:
        """The month a hotline sheet without 月份 is of: the declared period (file, title or --period), if one month."""
        if self.kind.key != "hotline":
            return None
        declared = self._declared_period()
        return declared.start if declared is not None and declared.start == declared.end else None

    def _row_months(self, values: dict[str, list]) -> list[int]:
        """The months the rows fall in, each once (the period they span is what is asked of them)."""
        key = self.kind.key
        if key == "learning":
            return [month_number(d.year, d.month) for d in set(values["date"]) - {None}]
        if key == "hotline":
            return [m for m in set(values["month"]) if m is not None]
        if key == "problems":
            dates = (set(values["found_date"]) | set(values["resolved_date"])) - {None}
            return [month_number(d.year, d.month) for d in dates]
        months = []
        for period in values["period"]:
            if period is not None:
                months += [period.start, period.end]
        return months

    def bad_resolved(self, row: int) -> bool:
        column = self.raw.columns.get("resolved_date")
        if column is None:
            return False
        letter = column_letter(column.index)
        return any(f.row == row and f.column == letter and f.sheet == self.raw.sheet for f in self.findings)

    # -- totals -----------------------------------------------------------------------------------------------

    def _check_totals(self, values: dict[str, list], rows: list[int]) -> None:
        """A 合计/总计 row against the data rows since the last 合计/总计 (or, at the top, those under it);
        a 小计 against those since the last total of any kind."""
        if not self.raw.totals:
            return
        counted = [c for c in self.kind.columns if c.kind is ValueKind.COUNT and c.key in self.raw.columns]
        last_subtotal_row = last_total_row = 0
        later = [number for number, _, _ in self.raw.totals[1:]] + [max(rows, default=0) + 1]
        for (total_row, label, cells), until in zip(self.raw.totals, later):
            since = last_subtotal_row if label == "小计" else last_total_row
            chosen = [i for i, r in enumerate(rows) if since < r < total_row]
            if not chosen:  # a 合计 row at the top of the table adds up the rows under it
                chosen = [i for i, r in enumerate(rows) if total_row < r < until]
            for column in counted:
                index = self.raw.columns[column.key].index
                cell = cells[index] if index < len(cells) else None
                try:
                    stated = parse_count(cell)
                except BadValue:
                    stated = None
                if stated is None:
                    continue
                actual = sum(values[column.key][i] or 0 for i in chosen)
                if stated != actual:
                    where = "上方" if chosen and rows[chosen[0]] < total_row else "下方"
                    self.warning(
                        f"{label}行为 {stated:,}，但{where}各行相加为 {actual:,}，请核对。",
                        total_row,
                        column.key,
                        cell,
                    )
            last_subtotal_row = total_row
            if label != "小计":
                last_total_row = total_row


# What to write instead of an Excel error value, by the kind of the column.
_ERROR_CELL_FIX = {
    ValueKind.TEXT: "要填写的文字",
    ValueKind.COUNT: "数值",
    ValueKind.NUMBER: "数值",
    ValueKind.RATE: "数值",
    ValueKind.DATE: "日期",
    ValueKind.MONTH: "月份",
    ValueKind.CHOICE: "规定的选项",
    ValueKind.PERIOD: "统计期间",
}


def _plain_texts(cells: list) -> list[str] | None:
    """A column of free text as the text parser would give it, where every cell is text with something in it and
    none can be an error value or hold a NUL: trimmed at C speed, not parsed one distinct cell at a time. ``None``
    where any cell is otherwise (the parser then decides each)."""
    if set(map(type, cells)) != {str}:
        return None
    joined = "\n".join(cells)
    if "#" in joined or "\x00" in joined:
        return None
    trimmed = list(map(str.strip, cells))
    return trimmed if all(trimmed) else None


_PARSERS = {
    # Free text is kept as the unit wrote it (full-width punctuation and all), only trimmed; a NUL character,
    # which no unit means to write and PostgreSQL cannot store, is dropped.
    ValueKind.TEXT: lambda v: (v.replace("\x00", "").strip() if isinstance(v, str) else clean_text(v)) or None,
    ValueKind.COUNT: parse_count,
    ValueKind.NUMBER: parse_number,
    ValueKind.DATE: parse_date,
    ValueKind.MONTH: parse_month,
    ValueKind.PERIOD: parse_period,
}
