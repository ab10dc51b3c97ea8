"""`disclosure letter --variant/--withheld/--reasons/--where`: the clerk chooses the case."""

from __future__ import annotations

import json
from pathlib import Path

from tests.letters.conftest import docx_text

REGISTER = (
    "register", "--channel", "in_person", "--received", "2026-03-02", "--applicant",
    "某某科技有限公司", "--applicant-type", "business", "--content", "检查记录",
    "--today", "2026-03-05",
)  # fmt: skip
REPLY = ("letter", "2026-00001", "--kind", "reply", "--today", "2026-03-20", "--json")


def test_partial_disclosure_from_the_cli(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli(*REGISTER)
    r = cli(*REPLY, "--outcome", "2", "--withheld", "第3页")
    assert r.exit_code == 2 and "--variant" in r.stderr  # the withheld part's ground
    assert not (tmp_path / "letters").exists()
    r = cli(*REPLY, "--outcome", "2", "--variant", "internal", "--withheld", "第3页",
            "--reasons", "该页为本机关内部人事安排")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    text = docx_text(Path(json.loads(r.stdout)["docx"]).read_bytes())
    assert "第3页属于行政机关的内部事务信息" in text and "该页为本机关内部人事安排。" in text
    assert "第三十七条、第十六条第一款、第三十六条第（三）项" in text


def test_already_public_from_the_cli(cli) -> None:  # type: ignore[no-untyped-def]
    cli(*REGISTER)
    r = cli(*REPLY, "--outcome", "1", "--variant", "not_ours")
    assert r.exit_code == 2 and "--variant" in r.stderr and "already_public" in r.stderr
    r = cli(*REPLY, "--outcome", "1", "--variant", "already_public", "--where", "本机关门户网站")
    assert r.exit_code == 0, r.stderr
    text = docx_text(Path(json.loads(r.stdout)["docx"]).read_bytes())
    assert "第三十六条第（一）项" in text and "第（二）项" not in text
