import re
import string
import tomllib

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


def test_a_key_used_in_the_code_is_in_both_catalogues_and_each_key_prefix_built_at_run_time_exists():
    from tests.conftest import ROOT

    used, prefixes = set(), set()
    for path in [ROOT / "gapura_app.py", *(ROOT / "ui").rglob("*.py")]:
        code = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_0-9]+)["']""", code))
        prefixes |= set(re.findall(r"""\bt\(\s*f["']([a-z_]+\.[a-z_0-9]*)\{""", code))  # t(f"saved_list.{status}")
    assert prefixes, "no keys built at run time found"
    for lang in ("en", "id"):
        keys = set(catalogue(lang))
        assert used <= keys, (lang, used - keys)
        assert all(any(k.startswith(p) for k in keys) for p in prefixes), (lang, prefixes)


# Words Indonesian uses as they are, or names: the only values the Indonesian catalogue may share with the English one.
SAME_IN_BOTH = {
    "#", "Admin", "CSV (UTF-8)", "Domain", "Email", "Format", "Frictionless Data Package", "Median", "Parquet", "Radar",
    "Status", "Target",
}  # fmt: skip
# Common English words that no Indonesian sentence needs; a quoted name ("The key of research ids", a README
# heading) and a placeholder are not read.
ENGLISH = frozenset(
    {
        "the", "and", "your", "you", "with", "of", "is", "are", "this", "that", "will", "please", "select", "upload",
        "download", "click", "here", "not", "from", "into", "which", "what", "when", "who", "each", "every", "file",
        "files", "only", "can", "cannot", "must", "should", "would", "was", "were", "has", "have", "been", "be",
        "by", "an", "or", "at", "on", "as", "it", "its", "our", "their", "them", "they", "does", "done", "yes",
        "browse", "drag", "drop", "choose",
    }
)  # fmt: skip


def english_words(text: str) -> set[str]:
    text = re.sub(r"\{[^}]*\}|`[^`]*`|\"[^\"]*\"|'[^']*'", " ", text)
    return set(re.findall(r"[a-z]+", text.lower())) & ENGLISH


def test_no_english_sentence_is_left_in_the_indonesian_catalogue():
    en, id_ = catalogue("en"), catalogue("id")
    untranslated = {k: v for k, v in id_.items() if v == en[k] and v not in SAME_IN_BOTH}
    assert not untranslated, untranslated
    english = {k: english_words(v) for k, v in id_.items() if english_words(v)}
    assert not english, english


def test_the_english_check_finds_an_english_sentence():
    assert english_words("Drag and drop a file here") == {"drag", "and", "drop", "file", "here"}
    assert not english_words('Seret berkas ke sini, paling besar {mb} MB (lihat "The key")')


def test_no_english_sentence_in_the_indonesian_messages_of_the_core():
    from tests.conftest import ROOT

    codes = tomllib.loads((ROOT / "scoring" / "messages.toml").read_text(encoding="utf-8"))["codes"]
    assert all("id" in texts for texts in codes.values()), [c for c, texts in codes.items() if "id" not in texts]
    english = {code: english_words(texts["id"]) for code, texts in codes.items() if english_words(texts["id"])}
    assert not english, english
