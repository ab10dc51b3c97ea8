"""The letter form says before issuing that the case's dates are provisional (rulebook §1.4)."""

from __future__ import annotations

from datetime import date

from tests.web.conftest import register


def test_the_letter_form_says_before_issuing_that_dates_will_be_provisional(
    client_for, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """On 2026-12-10, with the shipped calendar (2027 has no notice): received that day, the
    20 working days end 2027-01-08, provisionally; received 11-02 they end in 2026."""
    monkeypatch.setattr("tests.web.conftest.TODAY", date(2026, 12, 10))
    clerk = client_for("clerk")
    plain = register(clerk, received="2026-11-02")
    assert 'id="letter-provisional"' not in clerk.get(f"/applications/{plain}").text
    far = register(clerk, received="2026-12-10", content="另一件申请")
    page = clerk.get(f"/applications/{far}").text
    assert "2027-01-08" in page and 'id="letter-provisional"' in page
