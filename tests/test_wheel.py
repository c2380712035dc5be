"""An installed wheel works on its own: it carries the notebooks and says clearly when documents are missing.

Slow (builds the wheel, makes a venv, runs a notebook).  The fresh venv gets the wheel with
``pip install --no-deps``; its dependencies come from this venv's site-packages through a
``.pth`` line placed after its own site-packages (so the wheel's urbanpolicy, not the editable
checkout, is the one imported), which keeps the test offline.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow
_UNTRACKED = shutil.ignore_patterns("__pycache__", "*.egg-info", ".ipynb_checkpoints")


def _run(args: list, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    # built from a copy: setuptools writes build/ and *.egg-info next to the sources it builds
    checkout = tmp / "checkout"
    checkout.mkdir()
    for part in ("pyproject.toml", "README.md", "src", "notebooks"):
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, checkout / part, ignore=_UNTRACKED)
        else:
            shutil.copy2(ROOT / part, checkout / part)
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp / "dist", checkout], cwd=tmp)
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next((tmp / "dist").glob("urbanpolicy-*.whl"))
    venv = tmp / "venv"
    made = _run([sys.executable, "-m", "venv", venv], cwd=tmp)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp)
                .stdout.strip())
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = _run([python, "-m", "pip", "install", "--no-deps", "-q", wheel], cwd=tmp)
    assert done.returncode == 0, done.stderr[-3000:]
    kernel = _run([python, "-m", "ipykernel", "install", "--prefix", venv, "--name", "python3"], cwd=tmp)
    assert kernel.returncode == 0, kernel.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("URBANPOLICY_")}
    env["URBANPOLICY_CACHE_DIR"] = str(tmp / "cache")  # not the user's ~/.cache
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    # the kernel spec of the new venv first; nbconvert's templates from the dependencies' prefix
    env["JUPYTER_PATH"] = os.pathsep.join([str(venv / "share" / "jupyter"), str(Path(sys.prefix) / "share" / "jupyter")])
    return tmp, venv, env


def test_the_wheel_is_imported_not_the_checkout(installed):
    tmp, venv, env = installed
    out = _run([venv / "bin" / "python", "-c", "import urbanpolicy; print(urbanpolicy.__file__)"], cwd=tmp, env=env)
    assert out.stdout.strip().startswith(str(venv)), out.stdout + out.stderr


def test_installed_command_runs_a_notebook(installed):
    tmp, venv, env = installed
    result = _run([venv / "bin" / "urbanpolicy", "run", "01", "--out", tmp / "out", "-p", "source", SEEDS],
                  cwd=tmp, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "01_corpus_overview.ipynb: ok" in result.stdout
    page = (tmp / "out" / "01_corpus_overview.html").read_text(encoding="utf-8")
    assert "Plotly.newPlot" in page


def test_installed_command_without_documents_says_what_is_missing(installed):
    tmp, venv, env = installed
    result = _run([venv / "bin" / "urbanpolicy", "run", "01", "--out", tmp / "out2"], cwd=tmp, env=env)
    assert result.returncode == 2
    assert "URBANPOLICY_SEEDS" in result.stderr and "-p source" in result.stderr
    loaded = _run([venv / "bin" / "python", "-c", "import urbanpolicy as up; up.load_corpus()"], cwd=tmp, env=env)
    assert loaded.returncode != 0 and "FileNotFoundError" in loaded.stderr and "URBANPOLICY_SEEDS" in loaded.stderr
