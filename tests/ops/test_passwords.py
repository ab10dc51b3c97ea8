"""The password policy (one function every password-setting path calls) and Argon2's cost."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from disclosure.db import transaction
from disclosure.errors import InvalidInput
from disclosure.services import passwords, users
from tests.conftest import NOW

REFUSED = [
    ("short", "at least 10"),
    ("1234567890", "digits in a row"),
    ("qwertyuiop", "keyboard row"),
    ("password123", "in the common-password list"),
    ("zhangsan2026", "the username and a year"),
    ("Password2026", "common word and a year"),
    ("a" + " " * 12 + "b", "runs of spaces count as one"),
    ("x" * 257, "longer than 256"),
]
ACCEPTED = [
    ("plum-kettle-harbour", "three unrelated words"),
    ("gongkaiban2026", "pinyin word and a year, long enough"),
    ("Ц🙂 дом 公开 办理 rt", "any characters at all"),
]


@pytest.mark.parametrize("password", [p for p, _ in REFUSED], ids=[w for _, w in REFUSED])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        passwords.check_password(password, username="zhangsan", context=["张三"])
    assert refused.value.field == "password"


@pytest.mark.parametrize("password", [p for p, _ in ACCEPTED], ids=[w for _, w in ACCEPTED])
def test_good_passwords_pass(password: str) -> None:
    passwords.check_password(password, username="zhangsan")


def test_the_username_itself_is_refused() -> None:
    with pytest.raises(InvalidInput, match="用户名"):
        passwords.check_password("Li.Shuang.Office", username="li.shuang.office")


def test_hashes_use_the_chosen_cost_and_old_ones_are_upgraded(engine) -> None:  # type: ignore[no-untyped-def]
    hashed = passwords.make_hasher().hash("plum-kettle-harbour")
    assert "$m=19456,t=2,p=1$" in hashed
    with transaction(engine) as session:
        user = users.create_user(
            session, username="li", password="plum-kettle-harbour", role="clerk", now=NOW
        )
        user.password_hash = PasswordHasher().hash("plum-kettle-harbour")  # 64 MiB, 3 passes
        session.add(user)
    with transaction(engine) as session:
        assert users.authenticate(session, username="li", password="plum-kettle-harbour")
    with transaction(engine, write=False) as session:
        stored = users.get_user(session, user.id).password_hash  # type: ignore[arg-type]
    assert "$m=19456,t=2,p=1$" in stored
