import re
import string

from ui.i18n import catalogue


def placeholders(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogues_have_the_same_messages_and_placeholders():
    en, id_ = catalogue("en"), catalogue("id")
    assert set(en) == set(id_), set(en) ^ set(id_)
    for key in en:
        assert placeholders(en[key]) == placeholders(id_[key]), key


def test_every_message_used_in_the_code_exists():
    from tests.conftest import ROOT

    used = set()
    for path in [ROOT / "gapura_app.py", *(ROOT / "ui").rglob("*.py")]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_0-9]+)["']""", path.read_text(encoding="utf-8")))
    assert used, "no message keys found"
    assert used <= set(catalogue("en")), used - set(catalogue("en"))
