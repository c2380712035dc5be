"""Command line: ``urbanpolicy run`` executes the notebooks, ``urbanpolicy tables`` writes the tables."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import yaml

from urbanpolicy import settings


def parse_value(text: str) -> object:
    """Read a ``-p`` value like papermill does: numbers, booleans, None and lists are typed.

    >>> parse_value("3"), parse_value("[a, b]"), parse_value("None"), parse_value("湖北")
    (3, ['a', 'b'], None, '湖北')
    """
    if text == "None":  # papermill's spelling of null; YAML would read it as a string
        return None
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return value if isinstance(value, int | float | bool | list | type(None)) else text


def _notebook_listing() -> str:
    """Each notebook with its parameters and defaults (papermill reads them: about a second)."""
    from urbanpolicy.report.runner import available_notebooks, notebook_parameters

    return "\n".join(
        f"  {nb.stem}: " + ", ".join(f"{k}={v}" for k, v in notebook_parameters(nb).items())
        for nb in available_notebooks()
    )


def _parser(listing: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; ``listing`` (the notebooks and their parameters) goes under ``run --help``."""
    parser = argparse.ArgumentParser(prog="urbanpolicy", description="Chinese urbanization policy documents as tables and reports.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "run", help="execute notebooks into HTML reports",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Execute analysis notebooks with papermill; write executed notebooks, HTML reports, "
                    "index.html and run.json to --out.",
        epilog=(f"notebooks and their parameters (defaults):\n{listing}\n\n" if listing else "")
               + "Example: urbanpolicy run 01 -p source ~/scraped -p docs '[doc_a, doc_b]'",
    )
    run.add_argument("notebooks", nargs="*", help="notebook names or prefixes (default: all)")
    run.add_argument("--out", default=settings.OUTPUT_DIR, help=f"output folder (default: {settings.OUTPUT_DIR})")
    run.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"), default=[],
                     help="notebook parameter; VALUE is read as YAML (numbers, lists) like papermill")
    run.add_argument("--jobs", type=int, default=1, help="notebooks to run at once (default: 1; at most one per core)")
    run.add_argument("--no-cache", action="store_true",
                     help="parse the documents in every notebook and keep no parse cache (the cache lives in "
                          "$URBANPOLICY_CACHE_DIR or ~/.cache/urbanpolicy; `make clean` empties it)")
    tables = sub.add_parser("tables", help="write every Corpus table without running notebooks")
    tables.add_argument("--source", default=None, help="folder or file of documents (default: seeds/)")
    tables.add_argument("--out", default="outputs/tables", help="output folder (default: outputs/tables)")
    tables.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    tables.add_argument("--force", action="store_true",
                        help="overwrite files in --out that an earlier `urbanpolicy tables` did not write")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``urbanpolicy`` command; returns the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    # Only ``run --help`` shows the notebooks' parameters; reading them is the slow part of start-up.
    wants_listing = "run" in argv and ("-h" in argv or "--help" in argv)
    args = _parser(_notebook_listing() if wants_listing else None).parse_args(argv)
    if args.command == "run":
        return _run(args)
    return _tables(args)


def _run(args: argparse.Namespace) -> int:
    from urbanpolicy.report.runner import run_notebooks

    parameters = {name: parse_value(value) for name, value in args.parameter}
    try:
        results = run_notebooks(args.notebooks, args.out, parameters, jobs=max(1, args.jobs), cache=not args.no_cache)
    except (ValueError, FileNotFoundError) as exc:
        print(f"urbanpolicy run: {exc}", file=sys.stderr)
        return 2
    failed = [r for r in results if not r.ok]
    for r in results:
        state = "ok" if r.ok else f"FAILED at cell {r.failed_cell}: {r.error}"
        print(f"{r.notebook}: {state} ({r.seconds:.1f} s) -> {r.html or r.output}")
    print(f"index: {Path(args.out) / 'index.html'}")
    return 1 if failed else 0


TABLES_MANIFEST = ".urbanpolicy-tables.json"  # what `tables` wrote into a folder: name -> SHA-256


def _tables(args: argparse.Namespace) -> int:
    import hashlib
    import json

    from urbanpolicy.corpus import load_corpus
    from urbanpolicy.report.runner import safe_output_dir, write_file_safely

    try:
        out = safe_output_dir(args.out)
        corpus = load_corpus(args.source)
    except (FileNotFoundError, NotADirectoryError, ValueError) as exc:
        print(f"urbanpolicy tables: {exc}", file=sys.stderr)
        return 2
    try:
        written = json.loads((out / TABLES_MANIFEST).read_text(encoding="utf-8"))
        written = written if isinstance(written, dict) else {}
    except (OSError, ValueError):
        written = {}
    targets = {name: out / f"{name}.{args.format}" for name in corpus.tables()}
    if not args.force:
        for path in targets.values():
            if path.is_symlink() or (path.exists() and (not path.is_file() or written.get(path.name)
                                                        != hashlib.sha256(path.read_bytes()).hexdigest())):
                print(f"urbanpolicy tables: {path} exists and was not written by urbanpolicy tables; "
                      "move it away or pass --force", file=sys.stderr)
                return 2
    for name, frame in corpus.tables().items():
        path = targets[name]
        if args.format == "csv":
            data = frame.to_csv(index=False).encode("utf-8-sig")  # BOM so Excel reads Chinese
        else:
            buffer = io.BytesIO()
            frame.to_parquet(buffer, index=False)
            data = buffer.getvalue()
        write_file_safely(path, data)  # replaces a link, never writes through it
        written[path.name] = hashlib.sha256(data).hexdigest()
        print(f"{name}: {len(frame)} rows -> {path}")
    write_file_safely(out / TABLES_MANIFEST, json.dumps(written, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
