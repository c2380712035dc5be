"""Each notebook executed by papermill itself (as JupyterLab or a user's papermill call would run
it, not through ``urbanpolicy run``) on a folder with no document renders instead of failing."""

from __future__ import annotations

from pathlib import Path

import papermill as pm
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("0*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_notebook_renders_on_an_empty_folder(tmp_path, notebook, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("URBANPOLICY_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / notebook.name
    pm.execute_notebook(str(notebook), str(out), parameters={"source": str(empty)}, kernel_name="python3",
                        cwd=str(tmp_path), progress_bar=False, execution_timeout=300)
    executed = pm.iorw.load_notebook_node(str(out))
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    assert len(NOTEBOOKS) == 6
