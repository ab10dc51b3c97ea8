"""Where a key of a notice file is written: line numbers for error messages.

`tomllib` gives values without positions, so the lines are found again in the text: the
`[[notice]]` headers, a key's `key =` line inside its table, and the line where the n-th
item of an array starts (a small scanner that knows strings, comments and nesting).
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*\[\[\s*notice\s*\]\]")
_TABLE = re.compile(r"^\s*\[")


def _key_re(key: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")


class Locator:
    """Line numbers (1-based) in one notice file's text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers = [i + 1 for i, line in enumerate(self.lines) if _HEADER.match(line)]

    def header(self, index: int) -> int | None:
        """The line of the `index`-th `[[notice]]` header (0-based index)."""
        return self.headers[index] if 0 <= index < len(self.headers) else None

    def top(self, key: str) -> int | None:
        """The line of a top-level `key =` (before any table)."""
        pattern = _key_re(key)
        for i, line in enumerate(self.lines):
            if _TABLE.match(line):
                return None
            if pattern.match(line):
                return i + 1
        return None

    def key(self, index: int, key: str) -> int | None:
        """The line of `key =` inside the `index`-th `[[notice]]` table."""
        start = self.header(index)
        if start is None:
            return None
        end = self.headers[index + 1] - 1 if index + 1 < len(self.headers) else len(self.lines)
        pattern = _key_re(key)
        for n in range(start + 1, end + 1):
            if pattern.match(self.lines[n - 1]):
                return n
        return None

    def item(self, index: int, key: str, item: int) -> int | None:
        """The line where item `item` (0-based) of the array `key = [ … ]` starts."""
        first = self.key(index, key)
        if first is None:
            return None
        text = "\n".join(self.lines[first - 1 :])
        pos = text.find("=")
        return _scan_items(text, pos + 1, first, item)


def _scan_items(text: str, pos: int, line: int, wanted: int) -> int | None:
    """Walk an array from `pos`; return the line on which item `wanted` begins."""
    depth, count, expecting = 0, 0, False
    quote: str | None = None
    i = pos
    while i < len(text):
        ch = text[i]
        if ch == "\n":
            line += 1
        if quote is not None:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = None
        elif ch == "#":
            while i + 1 < len(text) and text[i + 1] != "\n":
                i += 1
        elif ch in " \t\r\n":
            pass
        elif depth == 1 and expecting and ch != "]":
            if count == wanted:
                return line
            expecting = False
            depth, quote = _enter(ch, depth, quote)
        elif ch in "[{":
            depth += 1
            if depth == 1:
                expecting = True
        elif ch in "]}":
            depth -= 1
            if depth <= 0:
                return None
        elif ch == "," and depth == 1:
            count += 1
            expecting = True
        elif ch in "\"'":
            quote = ch
        i += 1
    return None


def _enter(ch: str, depth: int, quote: str | None) -> tuple[int, str | None]:
    """The first character of an item: it may open a table, an array or a string."""
    if ch in "[{":
        return depth + 1, quote
    if ch in "\"'":
        return depth, ch
    return depth, quote
