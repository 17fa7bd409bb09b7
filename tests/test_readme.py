"""The README a newcomer follows: a virtual environment before pip, and no link or path to a file outside the
repository (it pointed at ../shared/docs, which a clone does not have)."""

import re

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_link_and_image_resolves_to_a_file_in_the_repository():
    targets = [t for t in re.findall(r"\]\(([^)\s]+)\)", README) if not t.startswith(("http://", "https://", "#"))]
    assert targets
    for target in targets:
        path = (ROOT / target.split("#")[0]).resolve()
        assert path.is_relative_to(ROOT.resolve()) and path.is_file(), target


def test_no_path_leaves_the_repository():
    assert not re.findall(r"`\.\./[^`]*`|\(\.\./", README)


def test_set_up_makes_a_virtual_environment_before_pip():
    setup = README[README.index("## Set-up") : README.index("## What is in it")]
    assert setup.index("python3 -m venv .venv") < setup.index("pip install -r requirements.txt")
    assert "root" in setup and "apt-get" in setup  # .ci/run installs Debian packages
