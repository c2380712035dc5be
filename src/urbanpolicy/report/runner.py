"""Execute the analysis notebooks with papermill and render shareable HTML.

For each notebook: papermill writes the executed ``.ipynb`` to the output folder,
nbconvert renders a self-contained HTML page (code hidden; plotly.js and the table
component once per page, see ``report.page``), and the run ends with ``index.html`` (a
row per report: description, source folder, parameters, status, time, links) and
``run.json`` (parameters, input hashes, package versions, timings).  Both keep the rows
of notebooks that did not run this time (``report.index``).
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import platform
import subprocess
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from pathlib import Path

from urbanpolicy import settings
from urbanpolicy.cache import CACHE_ENV, default_cache_dir
from urbanpolicy.corpus import effective_workers, list_files, project_root, source_documents
from urbanpolicy.report.index import (
    merge_rows,
    notebook_description,
    notebook_title,
    read_manifest,
    render_index,
)
from urbanpolicy.report.page import PAGE_ASSETS_ENV
from urbanpolicy.report.speedups import skip_slow_optional_imports

KERNEL_NAME = "python3"
STAGES = ("executed", "rendered")
EXECUTION_TIMEOUT = settings.EXECUTION_TIMEOUT  # per cell: a dead kernel must not stall a run
PACKAGES = ("urbanpolicy", "pandas", "plotly", "papermill", "nbconvert", "opencc", "jieba", "jupyterlab")


def notebooks_dir() -> Path:
    """The folder of analysis notebooks: the package ``urbanpolicy.notebooks`` (the checkout's
    ``notebooks/``, shipped inside the wheel; see pyproject.toml)."""
    try:
        return Path(str(files("urbanpolicy.notebooks")))
    except ModuleNotFoundError:  # an editable install made before the notebooks were a package
        return project_root() / "notebooks"


def available_notebooks() -> list[Path]:
    """Every analysis notebook, in name order.

    Raises FileNotFoundError naming the folder when there is none (an incomplete installation),
    rather than letting a run execute nothing and report success.
    """
    folder = notebooks_dir()
    found = sorted(folder.glob("[0-9]*.ipynb"))
    if not found:
        raise FileNotFoundError(f"no analysis notebooks (NN_name.ipynb) in {folder}: the installation "
                                "is incomplete; reinstall urbanpolicy (pip install urbanpolicy or pip install -e .)")
    return found


@dataclass
class NotebookResult:
    """Outcome of one notebook: where it was written, how long it took, any failure."""

    notebook: str
    output: str
    html: str | None
    seconds: float
    parameters: dict
    ok: bool
    error: str | None = None
    failed_cell: int | None = None
    warnings: list[str] = field(default_factory=list)


def notebook_parameters(path: Path) -> dict:
    """Return {name: default} declared in a notebook's ``parameters`` cell."""
    skip_slow_optional_imports()  # before papermill/nbformat are imported; see speedups.py
    import papermill as pm

    return {name: info["default"] for name, info in pm.inspect_notebook(str(path)).items()}


def notebook_defaults(path: Path) -> dict:
    """Return {name: default value} of a notebook's parameters, the defaults read as Python literals.

    A default that is not a literal (an expression) is kept as its source text.
    """
    import ast

    values = {}
    for name, text in notebook_parameters(path).items():
        try:
            values[name] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            values[name] = text
    return values


def resolve_notebooks(names: list[str] | None) -> list[Path]:
    """Map names ("01", "01_corpus_overview", a path) to notebook files; raise ValueError if unknown."""
    notebooks = available_notebooks()
    if not names:
        return notebooks
    chosen = []
    for name in names:
        path = Path(name)
        if path.suffix == ".ipynb" and path.exists():
            chosen.append(path)
            continue
        matches = [nb for nb in notebooks if nb.stem == name or nb.stem.startswith(name)]
        if len(matches) != 1:
            known = ", ".join(nb.stem for nb in notebooks)
            raise ValueError(f"notebook: {name!r} matches {len(matches)} notebooks (known: {known})")
        chosen.append(matches[0])
    return chosen


def known_doc_ids(source: str | None) -> set[str]:
    """The doc_ids a run over ``source`` will have, from the file listing, without parsing."""
    try:
        _, ids, _ = source_documents(source or None)
    except (FileNotFoundError, NotADirectoryError):
        return set()  # validate_parameters reports the bad source itself
    return set(ids)


def safe_output_dir(out: str | Path) -> Path:
    """The output folder, created; report names are fixed so nothing is written outside it.

    Raises ValueError (one line) when ``out`` names something that is not a folder.
    """
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise ValueError(f"--out {out}: exists and is not a folder (give a folder for the reports)")
    path = path.resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_file_safely(path: Path, data: str | bytes) -> Path:
    """Write ``path`` through a temporary file renamed over it: a link at ``path`` is replaced,
    never followed, so nothing is written outside the output folder."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private (0600); reports are for sharing, like any new file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _no_link(path: Path) -> None:
    """Remove a symbolic link where a report is about to be written (a library writes it by name)."""
    if path.is_symlink():
        path.unlink()


def execute_notebook(notebook: str, out_dir: str, parameters: dict, render_html: bool = True,
                     kernel: object | None = None, events: object | None = None) -> NotebookResult:
    """Run one notebook with papermill into ``out_dir`` and render it; never raises.

    ``kernel`` is a started kernel manager (see ``execute_notebooks``) whose namespace is
    cleared before the notebook runs; None starts and stops a kernel for this notebook.
    The executed notebook is written once at the end (or at the failing cell), not after
    every cell: papermill's per-cell saves rewrite the whole file twice per cell.
    ``events`` (anything with ``put``) receives ("executed", name) and ("rendered", name)
    as each stage ends, for the progress bar.
    """
    skip_slow_optional_imports()  # before papermill/nbformat are imported; see speedups.py
    import papermill as pm

    src = Path(notebook)
    out_dir_path = Path(out_dir)
    output = out_dir_path / src.name
    _no_link(output)  # papermill opens the path itself: never through a link
    declared = notebook_parameters(src)
    params = {k: v for k, v in parameters.items() if k in declared}
    started = time.perf_counter()
    error = failed_cell = None
    engine = {"engine_name": _reused_kernel_engine(), "km": kernel} if kernel is not None else {}
    try:
        pm.execute_notebook(
            str(src), str(output), parameters=params, kernel_name=KERNEL_NAME,
            cwd=str(src.parent), progress_bar=False, execution_timeout=EXECUTION_TIMEOUT,
            report_mode=True, request_save_on_cell_execute=False, **engine,
        )
    except pm.PapermillExecutionError as exc:
        error, failed_cell = f"{exc.ename}: {exc.evalue}", exc.exec_count
    except Exception as exc:  # noqa: BLE001 - a kernel that dies is reported, the others go on
        error = f"{type(exc).__name__}: {exc}"
    if events is not None:
        events.put(("executed", src.stem))
    html_path = None
    if render_html and output.exists():
        lang = parameters.get("lang", notebook_defaults(src).get("lang"))
        html_path = str(render_notebook_html(output, src, lang))
    if events is not None:
        events.put(("rendered", src.stem))
    return NotebookResult(src.name, str(output), html_path, round(time.perf_counter() - started, 2),
                          params, error is None, error, failed_cell)


def execute_notebooks(notebooks: list[str], out_dir: str, parameters: dict,
                      events: object | None = None) -> list[NotebookResult]:
    """Run notebooks one after another in one kernel (started once, stopped at the end).

    Each notebook starts from an empty namespace (IPython's ``%reset -f``), so none sees
    another's variables; imported modules stay loaded, which is the point: the package and
    its libraries are imported once per kernel, not once per notebook.  A kernel that died
    is replaced before the next notebook.
    """
    if not notebooks:
        return []
    results = []
    kernel = _start_kernel()
    try:
        for nb in notebooks:
            if not kernel.is_alive():
                kernel.shutdown_kernel(now=True)
                kernel = _start_kernel()
            results.append(execute_notebook(nb, out_dir, parameters, kernel=kernel, events=events))
    finally:
        kernel.shutdown_kernel(now=True)
    return results


def last_seconds(out_dir: Path) -> dict[str, float]:
    """Seconds each notebook took in the last run written to ``out_dir`` (``run.json``), by file name."""
    found = {}
    for row in read_manifest(out_dir)["notebooks"]:
        if isinstance(row, dict) and isinstance(row.get("seconds"), int | float) and isinstance(row.get("notebook"), str):
            found[row["notebook"]] = float(row["seconds"])
    return found


def share_notebooks(notebooks: list[Path], jobs: int, seconds: dict[str, float] | None = None) -> list[list[str]]:
    """Deal ``notebooks`` to ``jobs`` kernels: longest first to the least loaded kernel when every
    notebook's time in the last run is known (``seconds``, by file name), else in turn by name
    (the first run in a folder).  Each kernel runs its notebooks in name order.

    At 500 documents the diffusion notebook alone takes as long as three others: dealt in turn,
    one kernel got 02, 04 and 06 (19 s) and the other 01, 03 and 05 (7 s).

    >>> from pathlib import Path
    >>> names = [Path(f"0{i}.ipynb") for i in range(1, 7)]
    >>> share_notebooks(names, 2)
    [['01.ipynb', '03.ipynb', '05.ipynb'], ['02.ipynb', '04.ipynb', '06.ipynb']]
    >>> times = {"01.ipynb": 2.2, "02.ipynb": 2.9, "03.ipynb": 1.6, "04.ipynb": 5.0, "05.ipynb": 3.3, "06.ipynb": 11.3}
    >>> share_notebooks(names, 2, times)
    [['03.ipynb', '06.ipynb'], ['01.ipynb', '02.ipynb', '04.ipynb', '05.ipynb']]
    """
    count = min(max(1, jobs), len(notebooks))
    if count <= 1:
        return [[str(nb) for nb in notebooks]] if notebooks else []
    seconds = seconds or {}
    if not all(nb.name in seconds for nb in notebooks):
        return [[str(nb) for nb in notebooks[i::count]] for i in range(count)]
    groups: list[list[Path]] = [[] for _ in range(count)]
    load = [0.0] * count
    for nb in sorted(notebooks, key=lambda nb: (-seconds[nb.name], nb.name)):
        least = min(range(count), key=lambda i: (load[i], i))
        groups[least].append(nb)
        load[least] += seconds[nb.name]
    return [[str(nb) for nb in sorted(group, key=lambda nb: nb.name)] for group in groups]


def _start_kernel() -> object:
    """A started kernel on local sockets (``_local_kernel_manager``); retried once, since kernels
    started together can race."""
    manager = _local_kernel_manager()
    try:
        kernel = manager(kernel_name=KERNEL_NAME)
        kernel.start_kernel()
    except RuntimeError:
        kernel = manager(kernel_name=KERNEL_NAME)
        kernel.start_kernel()
    return kernel


@functools.cache
def _local_kernel_manager() -> type:
    """A kernel manager whose kernels talk over local (IPC) sockets instead of TCP.

    The kernel runs on this machine, so TCP is not needed; over TCP without CurveZMQ
    keys ipykernel warns "Kernel is running over TCP without encryption" in the middle
    of the progress bar, and two kernels started together can race for ports.  Each
    kernel gets its own socket path in Jupyter's runtime folder, removed at shutdown.
    """
    import uuid

    from jupyter_client import KernelManager
    from jupyter_core.paths import jupyter_runtime_dir
    from traitlets import CaselessStrEnum, default

    class LocalKernelManager(KernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

        @default("ip")
        def _ip_default(self) -> str:
            folder = Path(jupyter_runtime_dir())
            folder.mkdir(parents=True, exist_ok=True)
            return str(folder / f"urbanpolicy-{uuid.uuid4().hex[:12]}")

    return LocalKernelManager


@functools.cache
def _reused_kernel_engine() -> str:
    """Register (once per process) the papermill engine that runs a notebook in a given kernel."""
    skip_slow_optional_imports()
    import papermill.engines as engines
    from papermill.clientwrap import PapermillNotebookClient

    class FreshNamespaceClient(PapermillNotebookClient):
        def papermill_execute_cells(self) -> None:
            # An empty namespace per notebook (%reset keeps sys.modules, so imports stay cheap)
            # and the notebook's own folder as working directory, as papermill's cwd gives.
            folder = str(Path(self.nb.metadata.papermill.input_path).resolve().parent)
            code = f"get_ipython().run_line_magic('reset', '-f')\nimport os\nos.chdir({folder!r})\ndel os"
            self.wait_for_reply(self.kc.execute(code, silent=True, store_history=False))
            super().papermill_execute_cells()

        def execute(self, **kwargs: object) -> object:
            try:
                return super().execute(**kwargs)
            finally:
                if self.kc is not None:  # the kernel outlives this notebook; its client does not
                    self.kc.stop_channels()
                    self.kc = None

    class ReusedKernelEngine(engines.NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man: object, kernel_name: str, **kwargs: object) -> object:
            original = engines.PapermillNotebookClient
            engines.PapermillNotebookClient = FreshNamespaceClient
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            finally:
                engines.PapermillNotebookClient = original

    engines.papermill_engines.register("urbanpolicy-reused-kernel", ReusedKernelEngine)
    return "urbanpolicy-reused-kernel"


def render_notebook_html(executed: Path, source_notebook: Path | None = None, lang: str | None = None) -> Path:
    """Render an executed notebook to a self-contained HTML file next to it, code hidden.

    plotly.js and the table component are not stored in the notebooks (see
    ``plots.setup_notebook``): ``report.page`` adds each once per page, inline, so the
    page works offline.  The page is titled after the notebook's heading and has
    ``lang`` ("zh" by default).
    """
    skip_slow_optional_imports()
    import nbformat

    from urbanpolicy.report.page import render_html

    nb = nbformat.read(executed, as_version=4)
    title = f"{notebook_title(source_notebook or executed, lang or 'zh')} — urbanpolicy"
    body = render_html(nb, title, lang or "zh", _html_exporter())
    return write_file_safely(executed.with_suffix(".html"), body)


@functools.cache
def _html_exporter() -> object:
    """One HTML exporter per process: building one loads and compiles the templates."""
    from urbanpolicy.report.page import exporter

    return exporter()


def run_notebooks(names: list[str] | None = None, out: str | Path = settings.OUTPUT_DIR, parameters: dict | None = None,
                  jobs: int = 1, progress: bool = True, cache: bool = True) -> list[NotebookResult]:
    """Execute notebooks, write HTML, ``index.html`` and ``run.json``; return one result per notebook.

    Every parameter is checked before anything runs (unknown names, bad values, doc_ids
    and task_ids that the corpus does not have after de-duplication): ValueError.  ``jobs``
    is capped at the cores.  ``cache`` False parses in every notebook and keeps no cache
    (``urbanpolicy run --no-cache``); else the parse cache is ``cache.default_cache_dir()``,
    outside the reports folder.  The caller's environment is left as it was.
    """
    from tqdm.auto import tqdm

    parameters = dict(parameters or {})
    notebooks = resolve_notebooks(names)
    declared = set().union(*(notebook_parameters(nb) for nb in notebooks)) if notebooks else set()
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise ValueError(f"parameter {unknown[0]!r} is not declared by any chosen notebook "
                         f"(declared: {', '.join(sorted(declared))})")
    from urbanpolicy.report.params import validate_parameters

    validate_parameters(parameters, known_doc_ids(parameters.get("source")))
    list_files(parameters.get("source") or None)  # no documents: FileNotFoundError saying what to pass
    if isinstance(parameters.get("source"), str) and parameters["source"]:
        # notebooks run with their own folder as cwd, so a path relative to the user's must be made absolute
        parameters["source"] = str(Path(parameters["source"]).resolve())
    cache_dir = default_cache_dir() if cache else None
    out_dir = safe_output_dir(out)
    # Parsed once, before any kernel starts: doc_ids are checked against the corpus as the
    # notebooks will see it, and a source with no readable document gets "no documents" pages
    # instead of six failing notebooks.  The notebooks then read the tables from the cache.
    corpus = _load_for_run(parameters, cache_dir)
    if corpus.documents.empty:
        return _no_documents(notebooks, out_dir, parameters, corpus)
    jobs = effective_workers(max(1, jobs))
    # One parse per run: every notebook kernel inherits the cache folder and passes it to
    # load_corpus.  The variable is set for this run only; the caller's environment is restored.
    # The pages carry plotly.js and the table component once (report.page), so kernels leave them out.
    with (_environment(CACHE_ENV, str(cache_dir) if cache_dir is not None else None),
          _environment(PAGE_ASSETS_ENV, "1")):
        started = time.perf_counter()
        results: list[NotebookResult] = []
        # One step per notebook and stage (executed, rendered), named as it ends.
        bar = tqdm(total=len(notebooks) * len(STAGES), desc="parse", unit="step", disable=not progress)
        progress_bar = _ProgressEvents(bar)
        # One kernel per job, each running its share of the notebooks in turn.
        groups = share_notebooks(notebooks, jobs, last_seconds(out_dir))
        if len(groups) > 1:
            import multiprocessing

            with multiprocessing.Manager() as manager, ProcessPoolExecutor(max_workers=len(groups)) as pool:
                events = manager.Queue()
                futures = [pool.submit(execute_notebooks, g, str(out_dir), parameters, events) for g in groups]
                pending = set(futures)
                while pending:
                    done = {f for f in pending if f.done()}
                    progress_bar.drain(events)
                    for future in done:
                        results.extend(future.result())
                    pending -= done
                    if pending:
                        time.sleep(0.1)
                progress_bar.drain(events)
        else:
            for group in groups:
                results.extend(execute_notebooks(group, str(out_dir), parameters, progress_bar))
        bar.set_description("done")
        bar.close()
        results.sort(key=lambda r: r.notebook)
        total = round(time.perf_counter() - started, 2)
    manifest = write_manifest(out_dir, results, parameters, total, notebooks)
    write_index(out_dir, json.loads(manifest.read_text(encoding="utf-8")))
    return results


def write_index(out_dir: Path, manifest: dict) -> Path:
    """Write ``index.html`` for ``manifest`` (``report.index.render_index``), safely."""
    return write_file_safely(out_dir / "index.html", render_index(manifest))


class _ProgressEvents:
    """Moves the progress bar one step per (stage, notebook) event, naming it."""

    def __init__(self, bar: object) -> None:
        self.bar = bar

    def put(self, event: tuple[str, str]) -> None:
        stage, name = event
        self.bar.set_description(f"{stage} {name}")
        self.bar.update(1)

    def drain(self, events: object) -> None:
        import queue

        while True:
            try:
                self.put(events.get_nowait())
            except queue.Empty:
                return


def _load_for_run(parameters: dict, cache_dir: Path | None) -> object:
    """The run's corpus (into the cache, so the notebooks read it), with every doc_id and
    task_id parameter checked against it (after de-duplication): ValueError otherwise."""
    from urbanpolicy.corpus import load_corpus
    from urbanpolicy.report.params import validate_parameters

    corpus = load_corpus(parameters.get("source") or None, cache=cache_dir)
    dup = corpus.problems[corpus.problems["kind"] == "duplicate"]
    duplicates = {d: detail.removeprefix("same clean text as ") for d, detail in zip(dup["doc_id"], dup["detail"],
                                                                                      strict=True)}
    validate_parameters(parameters, set(corpus.documents["doc_id"]), duplicates, set(corpus.tasks["task_id"]))
    return corpus


def _no_documents(notebooks: list[Path], out_dir: Path, parameters: dict, corpus: object) -> list[NotebookResult]:
    """A "no documents" page per notebook, listing why no entry of the source was read (escaped)."""
    problems = corpus.problems
    rows = "".join(f"<tr><td>{html.escape(str(r.source_file))}</td><td>{html.escape(str(r.kind))}</td>"
                   f"<td>{html.escape(str(r.detail))}</td></tr>" for r in problems.head(500).itertuples())
    results = []
    for nb in notebooks:
        page = f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>{html.escape(nb.stem)}: no documents</title>
<style>body{{font-family:"Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2em}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:left}}</style>
</head><body><h1>{html.escape(nb.stem)}</h1>
<p><strong>no documents</strong>: none of the {len(problems)} entries of the source could be read as a
document, so this report has nothing to show. What was found (the <code>problems</code> table):</p>
<table><tr><th>source_file</th><th>kind</th><th>detail</th></tr>{rows}</table></body></html>
"""
        target = write_file_safely(out_dir / f"{nb.stem}.html", page)
        results.append(NotebookResult(nb.name, str(target), str(target), 0.0,
                                      {k: v for k, v in parameters.items() if k in notebook_parameters(nb)},
                                      True, warnings=["no documents"]))
    manifest = write_manifest(out_dir, results, parameters, 0.0, notebooks)
    write_index(out_dir, json.loads(manifest.read_text(encoding="utf-8")))
    return results


@contextmanager
def _environment(name: str, value: str | None) -> Iterator[None]:
    """Set (None: unset) one environment variable, inherited by kernels and workers, for the ``with`` block only."""
    previous = os.environ.get(name)
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def _git_revision() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=project_root(), capture_output=True,
                              text=True, timeout=5, check=True).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def write_manifest(out_dir: Path, results: list[NotebookResult], parameters: dict, total: float,
                   notebooks: list[Path] | None = None) -> Path:
    """Write ``run.json``: parameters, input SHA-256s, versions, git revision and timings.

    Rows of notebooks that did not run this time are kept from the existing ``run.json``
    (``index.merge_rows``).  Each row has the notebook's description, source folder, the
    parameters it ran with (its defaults overlaid with the given ones), status and time.
    """
    from urbanpolicy.corpus import default_source

    source = parameters.get("source")
    try:
        files, _, _ = source_documents(source or None)
        inputs = {f.name: hashlib.sha256(Path(f.path).read_bytes()).hexdigest() for f in files}
    except (FileNotFoundError, NotADirectoryError):
        inputs = {}
    finished = datetime.now(UTC).isoformat(timespec="seconds")
    sources = {r.notebook: nb for nb in (notebooks or []) for r in results if nb.name == r.notebook}
    rows = []
    for r in results:
        nb = sources.get(r.notebook)
        effective = (notebook_defaults(nb) if nb else {}) | r.parameters
        effective["source"] = str(source or default_source())
        rows.append({k: v for k, v in asdict(r).items() if k not in ("output", "html", "parameters")}
                    | {"title": notebook_title(nb) if nb else r.notebook,
                       "description": notebook_description(nb) if nb else "",
                       "source": effective["source"], "parameters": effective, "given_parameters": r.parameters,
                       "finished": finished, "output": Path(r.output).name,
                       "html": Path(r.html).name if r.html else None})
    old = read_manifest(out_dir)
    manifest = {
        "parameters": parameters,
        "inputs": inputs,
        "versions": _versions(),
        "git_revision": _git_revision(),
        "notebooks": merge_rows(old.get("notebooks", []), rows),
        "timings": {"total_seconds": total, "finished": finished},
    }
    path = write_file_safely(out_dir / "run.json", json.dumps(manifest, ensure_ascii=False, indent=2, default=str))
    return path
