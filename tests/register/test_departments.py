"""`services.departments` and `disclosure department list/add`."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.services.departments import find_department, sync_from_settings
from disclosure.settings import Settings
from tests.register.conftest import Cli

pytestmark = pytest.mark.usefixtures("engine")


def test_list_shows_configured_departments(c: Cli) -> None:
    rows = c.ok("department", "list")
    assert [(r["code"], r["name"]) for r in rows] == [("hbc", "环境保护处"), ("zcfg", "政策法规处")]


def test_add_then_register_with_it(c: Cli, cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("department", "add", "--code", "xzc", "--name", "行政许可处", "--email", "x@e.cn")
    assert r.exit_code == 0, r.stderr
    assert "xzc" in [d["code"] for d in c.ok("department", "list")]
    assert c.register("2026-11-02", "--department", "xzc")["department"] == "xzc"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--code", "hbc", "--name", "重复"], "code:"),
        (["--code", " ", "--name", "空"], "code:"),
        (["--code", "hbc2", "--name", "环境保护处"], "已有名为 环境保护处 的部门（代码 hbc）"),
        (["--code", "x\x07", "--name", "响铃处"], "U+0007"),
        (["--code", "xzc", "--name", "行政许可处", "--email", "bad"], "电子邮箱格式不正确"),
    ],
    ids=["duplicate", "blank", "same-name", "control-character", "bad-email"],
)
def test_bad_department(c: Cli, unchanged, args: list[str], field: str) -> None:  # type: ignore[no-untyped-def]
    with unchanged():
        assert field in c.fails("department", "add", *args, code=2)


def test_sync_adds_a_department_without_contact_details(engine: Engine, settings: Settings) -> None:
    """A configured department with only code and name was never inserted (bug fixed)."""
    plain = settings.model_copy(
        update={
            "departments": [
                *settings.departments,
                type(settings.departments[0])(code="bgs", name="办公室"),
            ]
        }
    )
    with transaction(engine) as s:
        assert sync_from_settings(s, plain) == 1
        assert find_department(s, "bgs").name == "办公室"
    with transaction(engine) as s:
        assert sync_from_settings(s, plain) == 0  # idempotent
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM department")).scalar_one() == 3


def test_unknown_department_lists_the_known_ones(engine: Engine) -> None:
    with pytest.raises(InvalidInput) as err, transaction(engine, write=False) as s:
        find_department(s, "nope", field="--cooperating")
    assert err.value.field == "--cooperating"
    assert "hbc" in err.value.message and "zcfg" in err.value.message
