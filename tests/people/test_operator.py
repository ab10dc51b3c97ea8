"""CLI actions record the office's operator, not the operating-system user (issue 16, item 1)."""

from __future__ import annotations

import getpass
import json


def _register(cli) -> str:  # type: ignore[no-untyped-def]
    r = cli(
        "register", "--channel", "in_person", "--applicant", "张三", "--applicant-type",
        "natural", "--content", "某报告", "--received", "2026-03-02", "--json",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    return str(json.loads(r.stdout)["number"])


def _actors(cli, number: str) -> list[str]:  # type: ignore[no-untyped-def]
    shown = json.loads(cli("show", number, "--json").stdout)
    return [e["actor"] for e in shown["timeline"]]


def test_the_configured_operator_is_recorded(cli, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DISCLOSURE_ACTOR")
    config = tmp_path / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "[office]\n", '[office]\noperator = "wangfang"\n', 1
        ),
        encoding="utf-8",
    )
    number = _register(cli)
    assert set(_actors(cli, number)) == {"wangfang"}
    monkeypatch.setenv("DISCLOSURE_ACTOR", "lisi")  # given for one command: it wins
    assert cli("note", number, "--note", "电话联系申请人").exit_code == 0
    assert _actors(cli, number)[-1] == "lisi"


def test_without_an_operator_the_os_user_is_recorded(cli, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DISCLOSURE_ACTOR")
    assert set(_actors(cli, _register(cli))) == {getpass.getuser()}
