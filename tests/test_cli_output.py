"""The command line prints names from members' files as inert text: an archive cannot clear or retitle a terminal."""

import io
import os
import subprocess
import sys
import zipfile

from tests.conftest import MINI, MINI_ANSWERS, ROOT

HOSTILE = "inner-\x1b[2J-\x1b]0;owned\x07-\u202e.json"


def test_import_prints_zip_entry_and_file_names_with_control_characters_escaped(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(HOSTILE, MINI_ANSWERS.read_bytes())
        archive.writestr("bad-\x1b[H.json", b"{")
    (tmp_path / "members.zip").write_bytes(buffer.getvalue())
    (tmp_path / "file-\x1b[2J.json").write_text("{", encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "GAPURA_STANDARDS_DIR": str(MINI.parent)}
    out = subprocess.run([sys.executable, "-m", "gapura", "import", str(tmp_path)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    printed = out.stdout + out.stderr
    assert not any(c in printed for c in "\x1b\x07\u202e"), printed
    assert "inner-\\x1b[2J-\\x1b]0;owned\\x07-\\u202e.json: imported" in out.stdout
    assert "bad-\\x1b[H.json: skipped" in out.stderr and "file-\\x1b[2J.json: skipped" in out.stderr
