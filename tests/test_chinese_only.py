"""No user-facing message carries an English gloss ("中文 / English", issue 18).

Scans every string literal of the product (docstrings excepted): a literal that holds Chinese
text may not also hold " / " followed by English words, the shape the early messages had.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")
GLOSS = re.compile(
    r" / -*[A-Za-z][A-Za-z]*(?:[ >=.][A-Za-z0-9>=.]+)*(?:\{\}|\s)*$|[\u4e00-\u9fff）] / [A-Za-z]"
)


def _docstrings(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{}"
            for v in node.values
        )
    return None


def glossed(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        text = _text(node)
        if text and CJK.search(text) and GLOSS.search(text):
            found.append((getattr(node, "lineno", 0), text))
    return found


def test_the_scan_finds_a_gloss() -> None:
    assert glossed('raise X("没有该申请 / no such application")')
    assert glossed('raise X(f"模板 {name} 无法套用 / template error")')
    assert not glossed('"""模板 / 说明 / template."""\nx = "已超期 / 今日到期"')


def test_no_message_has_an_english_gloss() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text[:60]!r}"
        for package in ("disclosure", "notifier", "rules")
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, text in glossed(path.read_text(encoding="utf-8"))
    ]
    assert not found, "\n".join(found)
