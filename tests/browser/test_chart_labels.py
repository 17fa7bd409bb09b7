"""Charts as a person sees them on a 390-px phone and a 1366-px laptop, in both languages: no two labels of a chart
overlap (titles over bars, legends over ticks, radar names over each other all did), and the gap bars keep most of
the chart's width (long names beside them once left the bars a third of a phone)."""

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import sign_in_as
from tests.browser.test_journey import settle
from tests.browser.test_offline import COMPANY, STANDARDS, assessment_link, server  # noqa: F401

# Every text drawn in each chart, as boxes on the screen; and the gap chart's plot area against the chart's width.
BOXES = """charts => charts.map(chart => [...chart.querySelectorAll('svg text')]
  .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
  .map(t => { const r = t.getBoundingClientRect(); return [t.textContent, r.left, r.top, r.right, r.bottom]; }))"""
PLOT_SHARE = (
    """chart => chart.querySelector('.nsewdrag').getBoundingClientRect().width / chart.getBoundingClientRect().width"""
)


def overlapping(boxes, slack=1.0):
    """Pairs of labels whose boxes overlap by more than `slack` px both ways."""
    pairs = []
    for i, (a, *ra) in enumerate(boxes):
        for b, *rb in boxes[i + 1 :]:
            width = min(ra[2], rb[2]) - max(ra[0], rb[0])
            height = min(ra[3], rb[3]) - max(ra[1], rb[1])
            if width > slack and height > slack:
                pairs.append((a, b))
    return pairs


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_results_charts_keep_every_label_readable(server, browser: Browser, width, lang):  # noqa: F811
    url, database = server
    link = assessment_link(database)
    context = browser.new_context(viewport={"width": width, "height": 900})
    sign_in_as(context, url, database, STANDARDS, "anggota@tanpa-internet.test", organization=COMPANY)
    page = context.new_page()
    page.goto(f"{url}/results?a={link}&lang={lang}")
    charts = page.get_by_test_id("stPlotlyChart")
    expect(charts).to_have_count(3)  # radar, gaps, trend
    settle(page)
    for k in range(3):
        charts.nth(k).scroll_into_view_if_needed()
        expect(charts.nth(k).locator(".main-svg").first).to_be_visible()
    page.wait_for_timeout(1000)
    boxes = charts.evaluate_all(BOXES)
    for chart, texts in zip(("radar", "gaps", "trend"), boxes, strict=True):
        assert texts, chart
        assert not overlapping(texts), f"{chart} at {width} px ({lang}): {overlapping(texts)}"
    assert charts.nth(1).evaluate(PLOT_SHARE) > 0.8  # the gap bars have the chart's width
    context.close()
