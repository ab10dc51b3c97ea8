"""The notices tests drive the CLI like the register tests (fixtures shared from there)."""

from __future__ import annotations

from tests.register.conftest import c, unchanged  # noqa: F401  (fixtures)
