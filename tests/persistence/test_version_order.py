"""The newest version of a standard is found in the one version order ("2026.10" after "2026.9"), not by text."""

from scoring.versions import newest


def test_versions_in_use_list_2026_10_after_2026_9(store):
    org = store.ensure_organization({"name": "PT Urutan Versi"})
    work = store.workspace(org)
    for version in ("2026.10", "2026.9", "2026.2"):
        work.start("mini", version)
    listed = [v for sid, v, _ in store.versions_in_use() if sid == "mini"]
    assert listed == ["2026.2", "2026.9", "2026.10"]
    assert newest(listed) == "2026.10"
