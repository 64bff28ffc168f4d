"""Installs are reproducible: every dependency pinned, with hashes, in lock files made from
pyproject.toml, and the Makefile installs from nothing else."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def name_of(requirement: str) -> str:
    return re.split(r"[\[<>=~!; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text()
    return {m[0].lower(): m[1] for m in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)}


@pytest.mark.parametrize(
    ("lock", "wanted"),
    [
        ("base.txt", PROJECT["dependencies"]),
        ("dev.txt", PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"]),
    ],
)
def test_the_lock_files_pin_every_dependency_of_pyproject_with_hashes(lock, wanted):
    pinned = pins(lock)
    assert {name_of(r) for r in wanted} <= set(pinned), "run `make lock` after editing pyproject"
    entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / "requirements" / lock).read_text().strip())
    assert all("--hash=sha256:" in entry for entry in entries)


@pytest.mark.parametrize("target", ["run", "test"])
def test_make_installs_from_the_lock_files_only(target, tmp_path):
    plan = subprocess.run(
        ["make", "-n", "-B", target, f"VENV={tmp_path}/venv", f"PYTHON={sys.executable}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installs = [line for line in plan.splitlines() if " install " in line and "pip" in line]
    assert installs
    for line in installs:
        assert "--require-hashes -r requirements/" in line or "--upgrade pip" in line, line
