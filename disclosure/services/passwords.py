"""The password policy and the cost of checking a password (docs/security.md).

Policy (`check_password`, for every place that sets a password): at least 10 characters
(after runs of spaces count as one) and at most 256; not the username; not one of the common
passwords zxcvbn knows (its list of the 30,000 most used), and not easy to guess for zxcvbn
(score 3 of 4 or better, i.e. an estimated 10^8 guesses or more), counting the username, the
name and the agency as words an attacker would try first. No rules about character classes
(OWASP ASVS 5.0 6.2.1, 6.2.4, 6.2.5).

Cost: Argon2id with 19 MiB of memory, 2 passes, 1 lane — OWASP's Password Storage Cheat
Sheet's first recommended setting; one check takes about 21 ms of one core here (argon2-cffi's
default of 64 MiB, 3 passes, 4 lanes took 144 ms and 64 MiB per sign-in; measured in
docs/bench-notes/ops.md). The web bounds how many checks run at once per process
(`[web] concurrent_sign_ins`, default 2): at most 2 × 19 MiB per worker however many people
sign in at the same moment. Hashes made with other parameters are still verified and are
re-hashed with these at the next successful sign-in (`users.authenticate`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from argon2 import PasswordHasher

from disclosure.errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 256  # argon2 takes any length; this only bounds the work per request
MIN_STRENGTH = 3  # zxcvbn score: 3 = "safely unguessable" (about 10^8 guesses or more)

ARGON2_TIME_COST = 2
ARGON2_MEMORY_KIB = 19 * 1024  # 19 MiB per check
ARGON2_PARALLELISM = 1

_SPACES = re.compile(r" {2,}")


def make_hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=ARGON2_TIME_COST,
        memory_cost=ARGON2_MEMORY_KIB,
        parallelism=ARGON2_PARALLELISM,
    )


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    # zxcvbn (its word lists are 10–15 ms of import) only where a password is set
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password(password: str, *, username: str, context: Iterable[str] = ()) -> None:
    """Raise `InvalidInput(field="password")` unless `password` meets the policy above.

    `context`: other words tied to the account (display name, agency) that make a password
    easy to guess.
    """
    length = len(_SPACES.sub(" ", password))
    if length < MIN_LENGTH:
        raise InvalidInput(f"密码至少 {MIN_LENGTH} 个字符", field="password")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"密码不能超过 {MAX_LENGTH} 个字符", field="password")
    folded = password.strip().casefold()
    name = username.strip().casefold()
    if name and folded in (name, name[::-1]):
        raise InvalidInput("密码不能与用户名相同", field="password")
    if folded in _common():
        raise InvalidInput("该密码是常见密码，容易被猜中，请换一个", field="password")
    from zxcvbn import zxcvbn

    words = [w for w in (username, *context) if w]
    if zxcvbn(password[:100], user_inputs=words)["score"] < MIN_STRENGTH:
        raise InvalidInput(
            "密码太容易被猜中（如连续数字、键盘顺序、常见单词、用户名或日期加数字），"
            "请使用更长、更少见的组合，例如几个不相关的词",
            field="password",
        )
