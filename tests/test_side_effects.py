"""No import-time side effects; the runner's environment change is scoped to the run; the CLI starts fast."""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat

from urbanpolicy.cache import CACHE_ENV


def _python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_importing_every_module_changes_neither_sys_modules_stubs_nor_the_environment():
    code = (
        "import os, sys, importlib, pkgutil, urbanpolicy\n"
        "before = dict(os.environ)\n"
        "for m in pkgutil.walk_packages(urbanpolicy.__path__, 'urbanpolicy.'):\n"
        "    importlib.import_module(m.name)\n"
        "stubs = sorted(k for k, v in sys.modules.items() if v is None)\n"
        "print(stubs, dict(os.environ) == before)"
    )
    assert _python(code) == "[] True"


def test_help_reads_no_notebook():
    """``urbanpolicy --help`` must not import papermill (reading the notebooks is what made it slow)."""
    code = ("import sys\nfrom urbanpolicy.report.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('papermill' in sys.modules, 'nbformat' in sys.modules)")
    assert _python(code).splitlines()[-1] == "False False"


def test_run_help_still_lists_notebook_parameters():
    out = subprocess.run([sys.executable, "-m", "urbanpolicy.report.cli", "run", "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "01_corpus_overview: source=None" in out


def test_run_sets_the_cache_folder_for_kernels_and_restores_the_environment(tmp_path, monkeypatch):
    from urbanpolicy.report.runner import run_notebooks

    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("URBANPOLICY_CACHE_DIR", str(tmp_path / "parse-cache"))
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("x = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(
        f"import os\nassert os.environ['{CACHE_ENV}'] == {str(tmp_path / 'parse-cache')!r}, "
        f"os.environ.get('{CACHE_ENV}')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "98_env.ipynb"
    nbformat.write(nb, path)
    results = run_notebooks([str(path)], tmp_path / "out", progress=False)
    assert [r.ok for r in results] == [True], results[0].error
    assert CACHE_ENV not in os.environ
