"""The counts /metrics serves move with what a member does on the Assess page (AppTest): a saved answer counts as
saved, each attempt the database could not take counts as failed while the page keeps the answer unsaved."""

from sqlalchemy import create_engine, text

from services.metrics import REGISTRY
from tests.test_app_pages import library_dir, radio_for, signed_in, start  # noqa: F401 (library_dir: a fixture)


def count(name: str) -> float:
    return REGISTRY.get_sample_value(name) or 0.0


def test_answering_on_the_page_counts_each_save_and_a_save_the_database_refuses_counts_as_failed(library_dir):  # noqa: F811
    at = start(signed_in(library_dir))
    saved, failed = count("gapura_answers_saved_total"), count("gapura_saves_failed_total")
    radio_for(at, "A1").set_value(2).run()
    assert (count("gapura_answers_saved_total"), count("gapura_saves_failed_total")) == (saved + 1, failed)

    engine = create_engine(f"sqlite:///{library_dir / 'app.db'}")
    with engine.begin() as c:  # the answers' table gone from under the app (a restore gone wrong)
        c.execute(text("ALTER TABLE answers RENAME TO answers_away"))
    engine.dispose()
    radio_for(at, "A2").set_value(3).run()
    assert count("gapura_answers_saved_total") == saved + 1
    assert count("gapura_saves_failed_total") > failed  # each attempt: the page retries it at once and on a timer
    assert any("Belum tersimpan: A2" in e.value for e in at.error)  # the page keeps it, to save it later
