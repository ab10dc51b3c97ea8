"""Reading a 分工方案 table (工作任务 / 具体要求 / 落实单位) from Word, Excel or CSV.

Offices lay the table out by hand: a section heading ("一、紧扣…") is a row merged across the
table; one 工作任务 cell is merged down over its several requirement rows (or left empty below
its first row); empty rows stay behind where cells were merged. Every reader turns the file
into the same grid of `Cell`s, which `plan_rows` reads into one `PlanRow` per requirement.
Row numbers are those a person sees: the table's row in Word (header = 1), the sheet's row in
Excel, the line in CSV.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from disclosure.office_file import Kind

# Column → the header texts that name it (the first that a header cell starts with wins).
REQUIRED = {
    "title": ("工作任务", "重点任务", "任务"),
    "requirement": ("具体要求", "工作要求", "要求"),
    "units": ("落实单位", "责任单位", "牵头单位", "责任处室", "落实处室"),
}
OPTIONAL = {
    "due": ("完成时限", "完成时间", "时限要求", "时限"),
    "review": ("报送频次", "督办频次", "进展报送"),
}
COLUMN_LABELS = {
    "title": "工作任务",
    "requirement": "具体要求",
    "units": "落实单位",
    "due": "完成时限",
    "review": "报送频次",
}
SECTION = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")
HEADER_SEARCH_ROWS = 15


@dataclass(frozen=True)
class Cell:
    text: str
    up: bool = False  # merged with the cell above (the text is the merged cell's)
    left: bool = False  # merged with the cell to the left


@dataclass
class PlanRow:
    row: int
    section: str
    title: str
    requirement: str
    units: str
    due: str = ""
    review: str = ""


@dataclass(frozen=True)
class FileProblem:
    row: int
    column: str
    problem: str


@dataclass
class PlanFile:
    rows: list[PlanRow] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)


Grid = list[tuple[int, list[Cell]]]


def _clean(value: object) -> str:
    if value is None:
        return ""
    return re.sub(r"[ \t\u3000]+", " ", str(value)).strip()


# -- readers -------------------------------------------------------------------------------
def read_grid(path: Path) -> Grid:
    from disclosure.office_file import damaged, office_file

    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".docx"):  # checked first: openpyxl and python-docx say it in English
        kind: Kind = "xlsx" if suffix == ".xlsx" else "docx"
        office_file(path, "file", kind)
        try:
            return _xlsx(path) if kind == "xlsx" else _docx(path)
        except Exception as exc:  # both libraries raise many types for a damaged part
            raise damaged(path, "file", kind) from exc
    if suffix == ".csv":
        return _csv(path)
    from disclosure.errors import InvalidInput

    raise InvalidInput(
        f"不支持的文件类型 {suffix or '（无扩展名）'}；可用：xlsx、docx、csv", field="file"
    )


def _xlsx(path: Path) -> Grid:
    import openpyxl  # lazy: heavy, only for this command

    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        ws = next((s for s in wb.worksheets if _sheet_has_header(s)), wb.worksheets[0])
        spans: dict[tuple[int, int], Cell] = {}
        for rng in ws.merged_cells.ranges:
            text = _clean(ws.cell(rng.min_row, rng.min_col).value)
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        spans[(r, c)] = Cell(text, up=r > rng.min_row, left=c > rng.min_col)
        grid: Grid = []
        for r in range(1, ws.max_row + 1):
            cells = [
                spans.get((r, c)) or Cell(_clean(ws.cell(r, c).value))
                for c in range(1, ws.max_column + 1)
            ]
            grid.append((r, cells))
        return grid
    finally:
        wb.close()


def _sheet_has_header(ws) -> bool:  # type: ignore[no-untyped-def]
    for row in ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True):
        if any(isinstance(v, str) and "具体要求" in v for v in row):
            return True
    return False


def _docx(path: Path) -> Grid:
    import docx  # lazy: heavy, only for this command

    document = docx.Document(str(path))
    tables = document.tables
    if not tables:
        return []
    table = next((t for t in tables if "具体要求" in _first_rows_text(t)), tables[0])
    grid: Grid = []
    previous: list[object] = []
    for i, row in enumerate(table.rows, start=1):
        cells = row.cells  # python-docx repeats a merged cell in every grid column it covers
        out: list[Cell] = []
        tcs = [c._tc for c in cells]
        for j, cell in enumerate(cells):
            up = j < len(previous) and previous[j] is tcs[j]
            left = j > 0 and tcs[j - 1] is tcs[j]
            out.append(Cell(_clean(cell.text.replace("\n", "")), up=up, left=left))
        previous = tcs
        grid.append((i, out))
    return grid


def _first_rows_text(table) -> str:  # type: ignore[no-untyped-def]
    return "".join(c.text for row in list(table.rows)[:HEADER_SEARCH_ROWS] for c in row.cells)


def _csv(path: Path) -> Grid:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        from disclosure.errors import InvalidInput

        raise InvalidInput("CSV 文件编码无法识别（应为 UTF-8 或 GB18030）", field="file")
    reader = csv.reader(text.splitlines())
    return [(i, [Cell(_clean(v)) for v in row]) for i, row in enumerate(reader, start=1)]


# -- the table ---------------------------------------------------------------------------
def _header_columns(cells: list[Cell]) -> dict[str, int]:
    found: dict[str, int] = {}
    for key, names in {**REQUIRED, **OPTIONAL}.items():
        for j, cell in enumerate(cells):
            if cell.left:
                continue
            text = cell.text.replace(" ", "")
            taken = key in found or j in found.values()
            if not taken and any(text.startswith(n) for n in names):
                found[key] = j
    return found


def _find_header(grid: Grid) -> tuple[int, int, dict[str, int]]:
    """(index in grid, row number, columns) of the best header among the first rows."""
    best: tuple[int, int, dict[str, int]] = (-1, grid[0][0] if grid else 1, {})
    for idx, (row_no, cells) in enumerate(grid[:HEADER_SEARCH_ROWS]):
        cols = _header_columns(cells)
        required = sum(k in cols for k in REQUIRED)
        if required > sum(k in best[2] for k in REQUIRED) and required >= 2:
            best = (idx, row_no, cols)
            if required == len(REQUIRED):
                break
    return best


def plan_rows(grid: Grid) -> PlanFile:
    """One `PlanRow` per requirement, or the problems that stop the file being read."""
    out = PlanFile()
    if not grid:
        out.problems.append(FileProblem(1, "工作任务", "文件中没有表格"))
        return out
    idx, header_row, cols = _find_header(grid)
    missing = [COLUMN_LABELS[k] for k in REQUIRED if k not in cols]
    if missing:
        for label in missing:
            out.problems.append(
                FileProblem(header_row, label, "缺少该列（表头应有：工作任务、具体要求、落实单位）")
            )
        return out
    section = title = ""
    for row_no, cells in grid[idx + 1 :]:
        get = _getter(cells, cols)
        texts = [c.text for c in cells if not c.left]
        if not any(texts):
            continue
        first = cells[0].text if cells else ""
        if _is_section(cells, cols):
            section, title = first, ""
            continue
        t = get("title")
        if t is not None and t.text and not t.up:
            title = t.text
        req, units = get("requirement"), get("units")
        requirement = req.text if req is not None and not req.up else ""
        unit_text = units.text if units is not None else ""
        if not requirement and (units is None or units.up or not unit_text):
            continue  # an empty row left by merged cells
        if not requirement:
            out.problems.append(FileProblem(row_no, "具体要求", "具体要求为空"))
            continue
        if not title:
            out.problems.append(FileProblem(row_no, "工作任务", "工作任务为空"))
        due, review = get("due"), get("review")
        out.rows.append(
            PlanRow(
                row=row_no,
                section=section,
                title=title,
                requirement=requirement,
                units=unit_text,
                due=due.text if due is not None else "",
                review=review.text if review is not None else "",
            )
        )
    return out


def _getter(cells: list[Cell], cols: dict[str, int]):  # type: ignore[no-untyped-def]
    def get(key: str) -> Cell | None:
        j = cols.get(key)
        return cells[j] if j is not None and j < len(cells) else None

    return get


def _is_section(cells: list[Cell], cols: dict[str, int]) -> bool:
    """A heading row: "一、…" in the first cell, the rest merged into it or empty."""
    if not cells or not SECTION.match(cells[0].text) or cells[0].up:
        return False
    rest = cells[1:]
    return all(c.left or not c.text for c in rest)


def read_plan(path: Path) -> PlanFile:
    return plan_rows(read_grid(path))
