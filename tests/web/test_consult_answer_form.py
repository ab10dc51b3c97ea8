"""The consultation answer form offers the parties still waiting, not a free-text box."""

from __future__ import annotations

import re

from tests.web.conftest import post_form, register


def _answer_form(page: str) -> str:
    return page[page.index('id="action-consult_answer"') :].split("</form>", 1)[0]


def test_the_answer_form_offers_the_waiting_parties(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    n = register(clerk)
    page, act = f"/applications/{n}", f"/applications/{n}/actions/"
    for party in ("某公司", "某区环保局"):
        r = post_form(clerk, page, act + "consult_send", {"date": "2026-03-03", "party": party,
                      "party_kind": "third_party", "served": "2026-03-03"})  # fmt: skip
        assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    form = _answer_form(clerk.get(page).text)
    options = re.findall(r'<option value="([^"]*)"', form)
    assert options == ["", "某公司", "某区环保局"]  # 请选择 first: two letters wait
    assert 'type="text" name="party"' not in form
    r = post_form(clerk, page, act + "consult_answer", {"date": "2026-03-04", "party": "某公司"})
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    form = _answer_form(clerk.get(page).text)
    assert re.findall(r'<option value="([^"]*)"', form) == ["某区环保局"]
