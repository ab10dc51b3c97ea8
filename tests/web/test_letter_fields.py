"""The letter form has what a correct letter needs, as `disclosure letter` does: the reply's
variant, reasons, where it was published, attachments, the service method and the date
(passed into the same `LetterOptions`); a missing entry is named beside its field, 400, and
no letter is issued."""

from __future__ import annotations

import io
import re

from docx import Document

from disclosure.db import transaction
from disclosure.letters.service import letters_of
from tests.web.conftest import post_form, register


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def _replied(client, outcome: str, **fields: str) -> str:  # type: ignore[no-untyped-def]
    number = register(client, **fields)
    url = f"/applications/{number}"
    r = post_form(client, url, f"{url}/actions/reply", {"date": "2026-03-05", "outcome": outcome})
    assert r.status_code == 303, r.text  # type: ignore[attr-defined]
    return number


def _letter(client, number: str, **fields: str):  # type: ignore[no-untyped-def]
    url = f"/applications/{number}"
    return post_form(client, url, f"{url}/letters", {"kind": "reply", **fields})


def _issued(engine, number: str) -> int:  # type: ignore[no-untyped-def]
    with transaction(engine, write=False) as s:
        return len(letters_of(s, number))


def _beside(html: str, field: str) -> str:
    """The error shown beside `field` ('' when none)."""
    found = re.search(rf'<span class="field-error" id="err-{field}">([^<]*)</span>', html)
    return found.group(1) if found else ""


def test_a_third_party_refusal_says_which_right_and_why(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    for variant, said in (("trade_secret", "商业秘密"), ("privacy", "个人隐私")):
        number = _replied(clerk, "3.4")
        r = _letter(clerk, number, variant=variant, reasons="该信息含有企业的投标报价")
        assert r.status_code == 200, r.text
        text = _text(r.content)
        assert f"涉及第三方的{said}" in text and "该信息含有企业的投标报价。" in text


def test_the_variant_must_be_chosen_beside_its_field(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = _replied(clerk, "3.4")
    page = clerk.get(f"/applications/{number}").text
    offered = re.findall(r'<option value="([a-z_]+)"', page[page.index('name="variant"') :])[:4]
    assert offered == ["other_rights", "trade_secret", "privacy", "refused"]  # 3.4's only
    r = _letter(clerk, number)
    assert r.status_code == 400
    assert _beside(r.text, "variant") == "请选择答复情形"
    assert _issued(engine, number) == 0  # nothing written


def test_a_disclosed_reply_lists_its_attachments(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = _replied(clerk, "1")
    r = _letter(clerk, number, variant="disclosed_now")
    assert r.status_code == 400
    assert "见附件" in _beside(r.text, "attachments") and _issued(engine, number) == 0
    r = _letter(clerk, number, variant="disclosed_now", attachments="监测报告.pdf\r\n附表.xlsx\r\n")
    assert r.status_code == 200, r.text
    text = _text(r.content)
    assert "（见附件）" in text and "附件：监测报告.pdf；附表.xlsx" in text


def test_an_already_public_reply_says_where_in_chinese_only(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = _replied(clerk, "1")
    r = _letter(clerk, number, variant="already_public")
    assert r.status_code == 400
    assert _beside(r.text, "where") == "请填写获取该政府信息的方式、途径"
    assert "--where" not in r.text
    where = "本机关门户网站“法定主动公开内容”栏目"
    r = _letter(clerk, number, variant="already_public", where=where)
    assert r.status_code == 200, r.text
    assert f"获取该政府信息的方式、途径：{where}。" in _text(r.content)


def test_every_missing_entry_is_named_at_once(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = _replied(clerk, "2")
    r = _letter(clerk, number, variant="process")
    assert r.status_code == 400
    assert _beside(r.text, "withheld") == "请填写不予公开的内容"
    assert "见附件" in _beside(r.text, "attachments")
    assert "请补全标出的 2 项" in r.text and _issued(engine, number) == 0
    actions = r.text[r.text.index('id="actions"') :].split("</section>", 1)[0]
    assert "请补全" not in actions  # at the top and by the letter form, not under 办理操作
    assert r.text.count("请补全标出的 2 项") == 2


def test_the_service_method_follows_the_channel_and_the_date_is_the_clerks(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    online = register(clerk, channel="online")
    page = clerk.get(f"/applications/{online}").text
    assert '<option value="电子送达（在线平台）" selected>' in page  # proposed for online
    r = post_form(
        clerk,
        f"/applications/{online}",
        f"/applications/{online}/letters",
        {"kind": "receipt", "delivery": "电子送达（在线平台）", "date": "2026-03-04"},
    )
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    text = _text(r.content)  # type: ignore[attr-defined]
    assert "送达方式：电子送达（在线平台）" in text and "2026年3月4日" in text
    paper = register(clerk)
    assert "selected>电子送达" not in clerk.get(f"/applications/{paper}").text
    r = post_form(
        clerk, f"/applications/{paper}", f"/applications/{paper}/letters", {"kind": "receipt"}
    )
    # handed in at the counter: the receipt is handed over there (rulebook §9.2) ...
    assert "送达方式：直接送达" in _text(r.content)  # type: ignore[attr-defined]
    assert "邮寄（默认；登记回执为直接送达）" in clerk.get(f"/applications/{paper}").text
    url = f"/applications/{paper}"
    step = {"date": "2026-03-05", "days": "5", "approver": "李主任"}
    assert post_form(clerk, url, f"{url}/actions/extend", step).status_code in (200, 303)
    # ... and the other letters go the office's usual way
    r = post_form(clerk, url, f"{url}/letters", {"kind": "extension"})
    assert "送达方式：邮寄" in _text(r.content)  # type: ignore[attr-defined]


def test_bad_entries_are_named_beside_their_field(client_for, engine) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk)
    url = f"/applications/{number}"
    r = post_form(clerk, url, f"{url}/letters", {"kind": "receipt", "delivery": "飞鸽传书"})
    assert r.status_code == 400 and _beside(r.text, "delivery") == "请从列表中选择送达方式"  # type: ignore[attr-defined]
    r = post_form(clerk, url, f"{url}/letters", {"kind": "receipt", "date": "2026-03-06"})
    assert r.status_code == 400 and "晚于今天" in _beside(r.text, "date")  # type: ignore[attr-defined]
    assert _issued(engine, number) == 0
    r = post_form(clerk, url, f"{url}/letters", {"kind": "receipt", "attachments": "申请表"})
    assert r.status_code == 200  # type: ignore[attr-defined]
    # an issued letter is not rewritten: the refusal is beside the entry that would change it
    r = post_form(clerk, url, f"{url}/letters", {"kind": "receipt", "attachments": "另一份"})
    assert r.status_code == 409 and "不能改写" in _beside(r.text, "attachments")  # type: ignore[attr-defined]


def test_a_reason_letter_states_its_deadline(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    number = register(clerk)
    url = f"/applications/{number}"
    r = post_form(clerk, url, f"{url}/letters", {"kind": "art35", "due": "2026-03-20"})
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    assert "于2026年3月20日前" in _text(r.content)  # type: ignore[attr-defined]


def test_the_form_offers_the_recorded_outcomes_fields_only(client_for) -> None:  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    page = clerk.get(f"/applications/{_replied(clerk, '1')}").text
    assert 'data-when="kind:reply;variant:already_public"><span>获取该信息' in page
    assert 'name="withheld"' not in page and 'name="responsible_agency"' not in page
    page = clerk.get(f"/applications/{_replied(clerk, '3.4')}").text
    assert 'name="where"' not in page and 'name="withheld"' not in page
    assert 'data-when="kind:reply|kind:disclose_notice"><span>具体理由' in page
