import json
import subprocess
import sys

from tests.conftest import MINI, MINI_ANSWERS, ROOT


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "scoring", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_validate_exits_0_for_valid_files_and_folders():
    out = run("validate", str(MINI), str(MINI.parent))
    assert out.returncode == 0, out.stderr
    assert "valid" in out.stdout


def test_validate_exits_2_with_file_path_message_lines(tmp_path):
    bad = tmp_path / "bad.json"
    data = json.loads(MINI.read_text(encoding="utf-8"))
    data["domains"][0]["criteria"][0]["target"] = 9
    bad.write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "empty.json").write_text("", encoding="utf-8")
    out = run("validate", str(tmp_path))
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert f"{bad}: domains[0].criteria[0].target: target 9 is not a level of this scale (0–4)" in lines
    assert f"{tmp_path / 'empty.json'}: $: the file is empty" in lines


def test_validate_a_missing_path_fails():
    out = run("validate", "no/such/file.json")
    assert out.returncode == 2 and "no such file" in out.stderr


def test_score_prints_the_json_of_the_contract():
    out = run("score", "--standard", str(MINI), "--answers", str(MINI_ANSWERS))
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["readiness"] == "not-ready"
    assert abs(result["overall"] - 0.5) < 1e-12
    assert result["actions"] == ["A1", "B2"]


def test_score_csv_has_one_row_per_criterion():
    out = run("score", "--standard", str(MINI), "--answers", str(MINI_ANSWERS), "--format", "csv")
    rows = out.stdout.strip().splitlines()
    assert rows[0].startswith("criterion,domain,level,score")
    assert len(rows) == 1 + 4
    assert rows[3] == "B1,B,na,,3,,,,False"  # N/A: no score, no gap, neither met nor unmet, no impact


def answers_file(tmp_path, **changes):
    data = json.loads(MINI_ANSWERS.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key == "version":
            data["standard"]["version"] = value
        else:
            data["answers"][key] = value
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_score_reports_bad_answers_with_paths(tmp_path):
    cases = [
        ({"Z9": {"level": 1}}, "answers.Z9: 'Z9' is not a criterion of mini 1"),
        ({"A2": {"level": 7}}, "answers.A2.level: level 7 is not a level of this scale (0–4)"),
        ({"B2": {"level": "na"}}, "answers.B2.justification: N/A needs a justification"),
        ({"A1": {"level": "na", "justification": "x"}}, "answers.A1.level: A1 is mandatory and cannot be marked N/A"),
        ({"version": "2"}, "standard.version: this assessment was made with version '2'"),
    ]
    for change, expected in cases:
        path = answers_file(tmp_path, **change)
        out = run("score", "--standard", str(MINI), "--answers", str(path))
        assert out.returncode == 2, change
        assert f"{path}: {expected}" in out.stderr, (change, out.stderr)


def test_score_with_a_bad_standard_exits_2(tmp_path):
    bad = tmp_path / "std.json"
    bad.write_text("[]", encoding="utf-8")
    out = run("score", "--standard", str(bad), "--answers", str(MINI_ANSWERS))
    assert out.returncode == 2
    assert out.stderr.startswith(f"{bad}: $: the top level must be a JSON object")


def test_the_committed_schema_is_generated_from_the_models():
    out = run("schema", "--check")
    assert out.returncode == 0, "standards/standard.schema.json is out of date: run `python -m scoring schema`"


def test_import_reports_each_file_and_does_not_duplicate(tmp_path):
    import os

    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    args = [sys.executable, "-m", "gapura", "import", str(MINI_ANSWERS), str(tmp_path / "bad.json"),
            "--standards", str(MINI.parent)]  # fmt: skip
    out = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert f"{MINI_ANSWERS}: imported" in out.stdout and "bad.json: skipped: not valid JSON" in out.stderr
    again = subprocess.run(args[:5] + args[6:], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and f"{MINI_ANSWERS}: duplicate" in again.stdout


def test_users_and_export_commands_run_with_the_servers_rights_and_are_audited(tmp_path):
    import getpass
    import os
    import zipfile

    from services.app import Gapura
    from services.policy import cli_actor
    from services.settings import Settings

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "GAPURA_STANDARDS_DIR": str(MINI.parent)}

    def gapura(*args):
        return subprocess.run([sys.executable, "-m", "gapura", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)  # fmt: skip

    assert gapura("import", str(MINI_ANSWERS)).returncode == 0
    invited = gapura("users", "invite", "ani@contoh.test", "--organization", "PT Contoh Acara")
    assert invited.returncode == 0 and "/?invite=" in invited.stdout
    token = invited.stdout.strip().split("invite=")[1]
    app = Gapura(Settings(database_url=env["DATABASE_URL"], standards_dir=MINI.parent))
    app.accounts.accept_invitation(token, "kata-sandi-ani-123")
    listed = gapura("users", "list")
    assert "ani@contoh.test\t-\tPT Contoh Acara" in listed.stdout
    assert gapura("users", "roles", "ani@contoh.test", "officer").returncode == 0
    assert gapura("users", "roles", "nobody@contoh.test", "officer").returncode == 2
    out = gapura("export", "--out", str(tmp_path / "all.zip"))
    assert out.returncode == 0 and zipfile.ZipFile(tmp_path / "all.zip").namelist() == [
        f"pt-contoh-acara-{app.store.find_organization('PT Contoh Acara')}/mini-1-r1.json"
    ]
    actions = {(e.actor, e.action) for e in app.audit.events(cli_actor())}
    app.close()
    who = f"cli:{getpass.getuser()}"
    assert {(who, "import"), (who, "invitation.created"), (who, "export.assessments")} <= actions
    assert gapura("import", str(tmp_path / "missing.json")).returncode == 2  # a message, not a traceback


def test_import_of_a_device_that_never_ends_is_skipped_not_read_forever(tmp_path):
    import os

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "GAPURA_STANDARDS_DIR": str(MINI.parent)}
    out = subprocess.run([sys.executable, "-m", "gapura", "import", "/dev/zero", str(MINI_ANSWERS)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 2 and "/dev/zero: skipped:" in out.stderr and "Traceback" not in out.stderr
    assert f"{MINI_ANSWERS}: imported" in out.stdout
