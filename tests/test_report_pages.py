"""The Results page offers the company report, the workbook and the CSV for people, in the page's language (the
files themselves are tested as functions in tests/test_reports.py and downloaded in the browser)."""

from tests.test_app_pages import answer_everything, app, library_dir, start  # noqa: F401  (fixtures)


def labels_of_downloads(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_results_offer_the_report_workbook_csv_and_assessment_file_in_indonesian(app):  # noqa: F811
    at = answer_everything(start(app))
    at.switch_page("ui/pages/results.py").run()
    assert not at.exception
    assert labels_of_downloads(at) == ["Laporan (PDF)", "Buku kerja hasil (XLSX)", "Tabel hasil (CSV)",
                                       "Unduh berkas penilaian (JSON)"]  # fmt: skip


def test_results_offer_them_in_english_too(app):  # noqa: F811
    app.session_state["lang-choice"] = "en"
    app.session_state["lang"] = "en"
    at = answer_everything(start(app.run()))
    at.switch_page("ui/pages/results.py").run()
    assert labels_of_downloads(at)[:3] == ["Report (PDF)", "Results workbook (XLSX)", "Results table (CSV)"]
