"""Reading a 落实单位 cell as offices write it, and matching its names to departments.

Cells seen in real plans (穗应急〔2021〕22号 among them):

- "新闻处牵头，各处室配合"                       → lead 新闻处; every department cooperates
- "综合处牵头公开应急管理规划，各处室配合"        → lead 综合处 (work: 公开应急管理规划)
- "起草处室牵头，法规处配合"                      → the drafting department leads: every
  department, each for what it drafts; 法规处 cooperates
- "法规处、审批处…、执法处等各相关业务处室分别按职责落实" → each listed department leads
- "各处室按职责分别落实", "各处室落实"            → every department leads its part
- "法规处牵头", "新闻处牵头"                      → that department leads

A clause (split at ，；。) with 配合 names cooperating units; one with 牵头, 负责, 落实 or no
verb names leads. Names are split at 、 / 和 / 及 / 与. Generic words (各处室, 起草处室, …)
stand for every department.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from disclosure.models import Department

# Words that stand for "every department" (each by its duties).
GENERIC_UNITS = (
    "各处室",
    "各相关处室",
    "各业务处室",
    "各相关业务处室",
    "相关处室",
    "相关业务处室",
    "各部门",
    "各相关部门",
    "各处室、直属单位",
    "各直属单位",
    "起草处室",
    "起草部门",
)
# A unit's name ends with one of these; other words in the cell ("待定", "按要求") are not units.
UNIT_SUFFIXES = (
    "处",
    "室",
    "局",
    "中心",
    "办",
    "科",
    "队",
    "站",
    "所",
    "委",
    "会",
    "部",
    "院",
    "组",
    "单位",
    "支队",
    "大队",
)
_CLAUSE = re.compile(r"[，,；;。]")
_NAMES = re.compile(r"[、/／和及与]")
_TAIL = re.compile(
    r"(等)?(各相关业务处室|各相关处室|各业务处室|相关处室)?(分别)?(按职责)?(分别)?(负责)?(落实|执行|办理)?$"
)


@dataclass
class ParsedUnits:
    leads: list[str] = field(default_factory=list)
    lead_all: bool = False
    cooperating: list[str] = field(default_factory=list)
    cooperating_all: bool = False
    work: str = ""  # what the lead does, when written after 牵头
    unrecognised: list[str] = field(default_factory=list)  # words that name no unit

    @property
    def empty(self) -> bool:
        return not (self.leads or self.lead_all or self.cooperating or self.cooperating_all)


def _names(part: str, out: ParsedUnits) -> tuple[list[str], bool]:
    """Names in `part` and whether a generic word ("every department") was among them."""
    names: list[str] = []
    generic = part in GENERIC_UNITS
    if generic:
        return names, True
    for raw in _NAMES.split(part):
        name = raw.strip()
        if not name:
            continue
        if name in GENERIC_UNITS:
            generic = True
        elif not name.endswith(UNIT_SUFFIXES):
            out.unrecognised.append(name)
        elif name not in names:
            names.append(name)
    return names, generic


def parse_units(text: str) -> ParsedUnits:
    """The lead and cooperating units of one cell (see the module docstring)."""
    out = ParsedUnits()
    flat = re.sub(r"\s+", "", text)
    for clause in filter(None, _CLAUSE.split(flat)):
        if "配合" in clause:
            names, generic = _names(clause.split("配合", 1)[0].removesuffix("负责"), out)
            out.cooperating += [n for n in names if n not in out.cooperating]
            out.cooperating_all |= generic
            continue
        if "牵头" in clause:
            part, work = clause.split("牵头", 1)
            out.work = out.work or work.strip()
        else:
            part = _TAIL.sub("", clause)
            if not part and clause.startswith(("等", "分别", "按职责")):
                continue
        names, generic = _names(part, out)
        out.leads += [n for n in names if n not in out.leads]
        out.lead_all |= generic
    out.cooperating = [n for n in out.cooperating if n not in out.leads]
    return out


@dataclass(frozen=True)
class DepartmentIndex:
    """Configured departments by the names a plan may use for them."""

    by_name: dict[str, Department]
    all: tuple[Department, ...]

    @classmethod
    def build(cls, departments: Iterable[Department], aliases: dict[str, str]) -> DepartmentIndex:
        deps = tuple(d for d in departments if d.active)
        by_name: dict[str, Department] = {}
        for d in deps:
            by_name.setdefault(d.name, d)
            by_name.setdefault(d.code, d)
        by_code = {d.code: d for d in deps}
        for alias, code in aliases.items():
            if code in by_code:
                by_name[alias] = by_code[code]
        return cls(by_name, deps)

    def find(self, name: str) -> Department | None:
        """Exact name, code or alias; else the one department whose name ends with `name`
        (法规处 → 政策法规处); None when unknown or ambiguous."""
        hit = self.by_name.get(name)
        if hit is not None:
            return hit
        ends = [d for d in self.all if d.name.endswith(name)]
        return ends[0] if len(ends) == 1 else None
