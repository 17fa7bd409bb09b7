"""Text from an uploaded standard or a company loads nothing and links nowhere by itself: a standard's Markdown
shows no image, and chart labels show names as typed."""

import json

import pytest

from reports import charts
from tests.conftest import MINI
from tests.test_app_pages import library_dir, rendered_texts, signed_in, start  # noqa: F401
from ui.markdown import without_images

IMAGE = "![x](http://evil.test/x.png)"
LINK = '<a href="http://evil.test/">PT Jahat</a>'


def imaged_standard() -> dict:
    """The mini standard with an image in every text of criterion A1 and domain A that the pages show."""
    data = json.loads(MINI.read_text(encoding="utf-8"))
    domain = data["domains"][0]
    domain["description"] = f"Domain {IMAGE}"
    domain["criteria"][0] |= {
        "description": f"Deskripsi {IMAGE}",
        "guidance": "Panduan ![y][ref] [ref]\n\n[ref]: http://evil.test/y.png",
        "evidence": [f"Bukti {IMAGE}"],
        "levels": {"2": "Level [![z](http://evil.test/z.png)](http://evil.test/)"},
    }
    data["description"] = f"Standar {IMAGE}"
    return data


@pytest.mark.parametrize("text", [
    IMAGE, "a ![y][r]\n\n[r]: http://evil.test/y.png", "[![z](http://evil.test/z.png)](http://x)",
    "\\\\![w](http://evil.test/w.png)", "![](<http://evil.test/a b.png>)", "x ![v](http://evil.test/v.png 'title')",
])  # fmt: skip
def test_markdown_of_a_standard_holds_no_image(text):
    from ui.markdown import _has_image

    assert _has_image(text) and not _has_image(without_images(text))
    assert "evil.test" in without_images(text)  # still there, as a link or as text


def test_text_without_images_is_shown_unchanged():
    text = "**Wajib**: izin [OSS](https://oss.go.id) sebelum acara!\n\n- satu\n- dua"
    assert without_images(text) == text


def test_the_assessment_card_and_the_standards_page_show_a_standards_images_as_links(library_dir):  # noqa: F811
    (library_dir / "mini.json").write_text(json.dumps(imaged_standard()), encoding="utf-8")
    at = start(signed_in(library_dir))
    shown = " ".join(rendered_texts(at))
    assert "Deskripsi" in shown and "Panduan" in shown and "Bukti" in shown and "evil.test" in shown
    assert "![" not in shown
    at.switch_page("ui/pages/standards.py").run()
    assert not at.exception
    shown = " ".join(rendered_texts(at))
    assert "Standar [x](http://evil.test/x.png)" in shown and "![" not in shown


HOSTILE = f"{LINK} %{{y}}"


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _strings(value)


@pytest.mark.parametrize("build", [
    lambda h: charts.radar([h, "B"], [0.5, 0.2], [0.6, 0.6], h, h, h, [0.4, 0.3], h),
    lambda h: charts.gap_bars([h, "B"], [0.1, 0.2], h, h, [0.1, 0.1], h),
    lambda h: charts.gap_bars([h, "B"], [0.1, 0.2], h, h, None, h, [f"{h}\n{h}", "B"]),
    lambda h: charts.trend([h, "R2"], [0.5, 0.6], {h: [0.4, 0.5]}, h, h),
    lambda h: charts.crosswalk([h], [h], [[1]], h, h),
    lambda h: charts.heatmap([h, "PT B"], [h, "D"], [[0.5, 0.2], [0.1, 0.3]], h, None, h),
    lambda h: charts.boxes([h], [[0.5, 0.6]], [0.5], h, h, h),
    lambda h: charts.radar_many([h, "D"], {h: [0.5, 0.6]}, h),
    lambda h: charts.ranking([h, "PT B"], [0.5, 0.6], h, h),
    lambda h: charts.agenda_bars([h], [0.1], [0.5], h, h, h),
    lambda h: charts.level_shares([h], [h, "N/A"], [[1, 2]], h, h),
    lambda h: charts.completion([h], [1], [1], h, h, h),
])  # fmt: skip
def test_every_chart_shows_names_as_typed_never_as_a_link(build):
    texts = list(_strings(build(HOSTILE).to_plotly_json()))
    assert not [s for s in texts if "<a" in s or "a&gt; %{y}" in s]  # no link, no template of ours filled in
    assert any("&lt;a href=&quot;http://evil.test/&quot;&gt;PT Jahat&lt;/a&gt;" in s for s in texts)


def test_the_compare_charts_hold_a_linking_company_name_escaped(library_dir):  # noqa: F811
    from services.app import Gapura
    from services.settings import Settings
    from tests.persistence.test_association import answer

    app = Gapura(Settings(database_url=f"sqlite:///{library_dir / 'app.db'}", standards_dir=library_dir))
    mini = app.standard("mini")
    app.standards.remember(mini)
    for k, name in enumerate([LINK, "PT Dua", "PT Tiga", "PT Empat", "PT Lima"]):
        org = app.store.ensure_organization({"name": name, "region": "Bali", "size": "1-10", "segments": []})
        app.store.workspace(org).start(
            "mini", mini.version, answers={c: answer(k % 5) for c in ("A1", "A2", "B1", "B2")}
        )
    app.close()
    at = signed_in(library_dir, "pengurus@asosiasi.test", organization=None, roles=("officer",))
    at.switch_page("ui/pages/compare.py").run()
    assert not at.exception
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    texts = [s for figure in figures for s in _strings(figure)]
    assert not [s for s in texts if "<a" in s]
    escaped = "&lt;a href=&quot;http://evil.test/&quot;&gt;PT Jahat&lt;/a&gt;"
    assert escaped in figures[0]["data"][0]["y"]  # the heatmap's rows
