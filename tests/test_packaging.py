"""A plain (not editable) install: the wheel holds every file the code opens at run time, and from a fresh
virtual environment `samverkan demo`, `init` and `plan check` work in a folder far from the checkout."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("bot", "handlers", "storage", "messages")
IGNORED = ("__pycache__", ".pyc")


def _package_files() -> set[str]:
    """Every file of the packages in the checkout: modules, templates, migrations, the shipped YAML."""
    return {
        path.relative_to(ROOT).as_posix()
        for package in PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file() and not any(part.endswith(IGNORED) for part in path.parts)
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of the checkout (so no build files land in it), without the network."""
    work = tmp_path_factory.mktemp("packaging")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns(*IGNORED))
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q"]
    subprocess.run([*command, "-w", str(work / "dist"), str(source)], check=True, capture_output=True)
    (built,) = (work / "dist").glob("samverkan-*.whl")
    return built


def test_the_wheel_holds_every_file_of_the_packages(wheel):
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if ".dist-info/" not in name}
    expected = _package_files()
    assert {"bot/demo/vmkf.yaml", "bot/golive/starter.yaml", "messages/templates/plan_message.j2"} <= expected
    assert any(name.startswith("storage/migrations/versions/") for name in expected)
    assert expected - shipped == set()


def test_a_plain_install_runs_the_demo_and_init_from_another_folder(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(venv)],
        check=True,
        capture_output=True,
    )
    python = venv / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index"]
    subprocess.run([*install, "--ignore-installed", str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": os.environ.get("LANG", "C.UTF-8")}

    def run(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(arguments, cwd=elsewhere, env=env, capture_output=True, text=True)

    where = run(str(python), "-c", "import bot, messages, storage; print(bot.__file__, messages.__file__)")
    assert where.stdout.count(str(venv)) == 2, where.stdout  # the installed copy, not the checkout

    samverkan = str(venv / "bin" / "samverkan")
    demo = run(samverkan, "demo", "--dir", "demo")
    assert demo.returncode == 0, demo.stderr
    assert "Samverkan demo – Västra Mälardalens kommunalförbund" in demo.stdout
    assert f"Databasen finns i {elsewhere / 'demo' / 'demo.db'}" in demo.stdout

    assert run(samverkan, "init").returncode == 0
    check = run(samverkan, "plan", "check")
    assert check.returncode == 0 and check.stdout.startswith("samverkan.yaml: OK"), check.stderr
    assert run(samverkan, "--help").returncode == 0
