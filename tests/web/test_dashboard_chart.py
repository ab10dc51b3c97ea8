"""The dashboard's due chart agrees with the cards and the list (issue 18, finding 3).

Today is Thursday 2026-03-05 (tests/web/conftest.py). 20 working days after receipt, with the
Spring Festival 02-15…02-23 off and Saturdays 02-14 and 02-28 worked:
received 01-28 → due 03-03 (overdue); 01-30 → 03-05 (today, 0 left);
02-04 → 03-10 (3 left: 03-06, 03-09, 03-10); 02-06 → 03-12 (5 left); 02-09 → 03-13 (6 left).
"""

from __future__ import annotations

import re

from tests.web.conftest import register

BAR = re.compile(r'<rect class="(bar[^"]*)"[^>]*data-count="(\d+)" data-left="(-?\d+)"')
TILE = re.compile(r'class="tile (\w+)"[^>]*><b>(\d+)</b>')


def test_bar_colours_follow_the_lists_thresholds_and_sum_to_the_cards(client_for):  # type: ignore[no-untyped-def]
    clerk = client_for("clerk")
    for received in ("2026-01-28", "2026-01-30", "2026-02-04", "2026-02-06", "2026-02-09"):
        register(clerk, received=received)
    page = clerk.get("/").text
    bars = [(cls, int(n), int(left)) for cls, n, left in BAR.findall(page)]
    by_left = {left: (cls, n) for cls, n, left in bars}
    assert by_left[-1] == ("bar st-overdue", 1)  # the overdue case is in the chart
    assert by_left[0] == ("bar st-due3", 1)  # due today
    assert by_left[3] == ("bar st-due3", 1)  # in the "3个工作日内" card: the same orange
    assert by_left[5] == ("bar st-due5", 1)
    assert by_left[6] == ("bar", 1)
    tiles = dict(TILE.findall(page))
    assert int(tiles["overdue"]) == sum(n for c, n, _ in bars if c == "bar st-overdue") == 1
    assert int(tiles["due3"]) == sum(n for c, n, _ in bars if c == "bar st-due3") == 2
    assert int(tiles["due5"]) == sum(n for c, n, left in bars if 0 <= left <= 5) == 3
    # The list colours the same cases the same way.
    listing = clerk.get("/applications").text
    assert listing.count('<tr class="st-due3">') == 2 and listing.count('<tr class="st-due5">') == 1
    assert ">26-" not in page and ">3月12日<" in page  # axis labels people read


def test_month_labels_say_the_month(client_for):  # type: ignore[no-untyped-def]
    page = client_for("clerk").get("/").text
    months = re.findall(r'text-anchor="middle">([^<]*月)</text>', page)
    # The last 12 months up to March 2026: the first and every January carry the year.
    assert months[0] == "2025年4月" and "2026年1月" in months and months[-1] == "3月"
