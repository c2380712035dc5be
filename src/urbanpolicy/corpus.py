"""The Corpus container and ``load_corpus``: files → decoded → clean → metadata → structure → facts.

``Corpus`` is a plain dataclass of pandas DataFrames, typed by ``urbanpolicy.schema`` (which says
every column's dtype, meaning and allowed values; readable as ``docs/data-dictionary.md``).
Every extracted fact carries ``start``/``end`` offsets into ``documents.text``.  Columns:

``documents`` (one row per document)
    doc_id, source_file, folder, sha256, encoding, title, short_name, short_name_en, headline,
    issuer, level, region, province, issued, published, doc_number, issuers, doc_type, draft,
    issuer_rank, strength, script, n_chars, duplicate_of, text.
``problems`` (one row per finding)
    doc_id, source_file, kind, detail, start, end.
``cleaning`` (one row per document × cleaning step)
    doc_id, step, chars_removed, items.
``sections`` (one row per chapter (一、… / 第一章 …))
    doc_id, section_id, label, heading, start, end.
``tasks`` (one row per numbered item at any depth)
    doc_id, task_id, section_id, parent_task_id, depth, label, path, ordinal, is_leaf, title,
    kind, text, start, end, directive, directive_cue, directive_start, directive_end.
``dates`` (one row per time expression)
    doc_id, task_id, text, date, precision, kind, start, end, end_date.
``references`` (one row per cited document)
    doc_id, cited_title, cited_number, cited_doc_id, start, end.
``targets`` (one row per quantity)
    doc_id, task_id, indicator, comparator, value, value_low, unit, value_base, unit_base,
    qualifier, year, kind, sentence, start, end.
``assignments`` (one row per task × agency)
    doc_id, task_id, position, agency_raw, agency, agency_en, function, agency_type, role,
    source, open_list, start, end.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from urbanpolicy import schema, settings
from urbanpolicy.cache import (
    HashIndex,
    chunk_key,
    corpus_key,
    file_key,
    read_chunk,
    read_corpus_entry,
    read_file_entry,
    read_run_pointer,
    run_pointer_key,
    splice,
    write_chunk,
    write_corpus_entry,
    write_file_entry,
    write_run_pointer,
)
from urbanpolicy.extract.agencies import assignment_rows
from urbanpolicy.extract.citations import normalise_title, reference_rows
from urbanpolicy.extract.dates import date_rows
from urbanpolicy.extract.directive import add_directives
from urbanpolicy.extract.issuers import issuer_fields
from urbanpolicy.extract.metadata import DocumentMetadata, extract_metadata
from urbanpolicy.extract.short_names import document_labels, unique_names
from urbanpolicy.extract.structure import TaskSpans, structure_rows
from urbanpolicy.extract.targets import target_rows
from urbanpolicy.extract.task_kinds import kinds_of
from urbanpolicy.ingest.cleaning import clean_text, find_mojibake
from urbanpolicy.ingest.formats import docx_text, pdf_text
from urbanpolicy.ingest.listing import FILE_NAME_DETAIL, SourceFile, document_ids, list_sources
from urbanpolicy.ingest.near_duplicates import near_duplicates, shingle_sample
from urbanpolicy.ingest.reading import DecodedFile, decode_bytes

log = logging.getLogger("urbanpolicy.cache")


@dataclass
class Corpus:
    """Tables of a loaded corpus; see the module docstring for every column."""

    documents: pd.DataFrame = field(default_factory=lambda: schema.empty("documents"))
    problems: pd.DataFrame = field(default_factory=lambda: schema.empty("problems"))
    cleaning: pd.DataFrame = field(default_factory=lambda: schema.empty("cleaning"))
    sections: pd.DataFrame = field(default_factory=lambda: schema.empty("sections"))
    tasks: pd.DataFrame = field(default_factory=lambda: schema.empty("tasks"))
    dates: pd.DataFrame = field(default_factory=lambda: schema.empty("dates"))
    references: pd.DataFrame = field(default_factory=lambda: schema.empty("references"))
    targets: pd.DataFrame = field(default_factory=lambda: schema.empty("targets"))
    assignments: pd.DataFrame = field(default_factory=lambda: schema.empty("assignments"))

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return every table by name, e.g. for writing them all to disk."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    def text(self, doc_id: str) -> str:
        """Return one document's clean text."""
        return self.documents.set_index("doc_id").at[doc_id, "text"]

    def subset(self, doc_ids: Iterable[str] | None) -> Corpus:
        """Return a Corpus restricted to ``doc_ids`` (None or empty = all).

        Raises ValueError naming the first unknown doc_id.
        """
        wanted = list(doc_ids or [])
        if not wanted:
            return self
        check_doc_ids(wanted, set(self.documents["doc_id"]))
        keep = set(wanted)
        return Corpus(**{name: frame[frame["doc_id"].isin(keep)].reset_index(drop=True)
                         for name, frame in self.tables().items()})

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in self.tables().items())
        return f"Corpus({sizes})"


def check_doc_ids(docs: object, known_doc_ids: set[str] | None, name: str = "docs") -> None:
    """Raise ValueError naming ``name`` unless ``docs`` is a list of doc_ids all in ``known_doc_ids``.

    >>> check_doc_ids(["a", "c"], {"a", "b"})
    Traceback (most recent call last):
    ...
    ValueError: docs: unknown doc_id 'c' (known: a, b)
    """
    if not isinstance(docs, list | tuple) or not all(isinstance(d, str) for d in docs):
        raise ValueError(f"{name}: must be a list of doc_ids, not {docs!r}")
    if known_doc_ids is not None:
        unknown = [d for d in docs if d not in known_doc_ids]
        if unknown:
            raise ValueError(f"{name}: unknown doc_id {unknown[0]!r} (known: {', '.join(sorted(known_doc_ids))})")


def project_root() -> Path:
    """The repository root when the package runs from a source checkout."""
    return Path(__file__).resolve().parents[2]


def default_source() -> Path:
    """The default folder of documents: $URBANPOLICY_SEEDS, else the checkout's seeds/.

    Raises FileNotFoundError saying what to do when neither exists (an installed package has
    no seeds/: they ship only with a source checkout).
    """
    if os.environ.get(settings.SEEDS_ENV):
        return Path(os.environ[settings.SEEDS_ENV])
    seeds = project_root() / "seeds"
    if not seeds.is_dir():
        raise FileNotFoundError(
            f"no documents given and no default folder ({seeds} does not exist: seeds/ comes only with a "
            f"source checkout); pass a folder, e.g. load_corpus('path/to/documents') or "
            f"urbanpolicy run -p source path/to/documents, or set {settings.SEEDS_ENV}=path/to/documents")
    return seeds


def list_files(source: str | Path | Iterable[str | Path] | None = None, recursive: bool = True) -> list[Path]:
    """The files of ``source`` (folder, file, list of files, None = seeds) that are read as documents.

    Raises FileNotFoundError naming the path when something does not exist.  What else the
    folder holds is in ``load_corpus(...).problems`` (see ``urbanpolicy.ingest.listing``).
    """
    files, _ = list_sources(default_source() if source is None else source, recursive)
    return [Path(f.path) for f in files]


def source_documents(source: str | Path | Iterable[str | Path] | None = None, recursive: bool = True
                     ) -> tuple[list[SourceFile], list[str], list[dict]]:
    """(files to read, their doc_ids, listing problem rows) of ``source`` (None = the seeds)."""
    if source is None:
        source = default_source()
    files, problems = list_sources(source, recursive)
    as_path = isinstance(source, str | os.PathLike) and os.path.isdir(source)
    return files, document_ids(files, as_path), problems


_TABLES = ("sections", "tasks", "dates", "references", "targets", "assignments")


def _result(problems: list[dict], cleaning: list[dict] | None = None, document: dict | None = None,
            **tables: list[dict]) -> dict:
    """What one file contributes: its document row and plain row lists for every table.

    Rows, not DataFrames: ``_assemble`` types them in chunks of ``ASSEMBLY_CHUNK`` documents
    (a small DataFrame per document costs more than parsing it), and rows pickle cheaply from workers.
    """
    return {"document": document, "cleaning": cleaning or [], "problems": problems,
            **{name: tables.get(name, []) for name in _TABLES}}


PARALLEL_FROM_FILES = 50  # below this, starting worker processes costs more than it saves


def available_cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def effective_workers(workers: int | None, n_files: int = 0) -> int:
    """Worker processes to start: ``workers`` capped at the cores (None: ``default_workers``).

    More processes than cores only add start-up time and memory; 0 means 1.

    >>> effective_workers(10_000) == available_cores()
    True
    """
    if workers is None:
        return default_workers(n_files)
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 0:
        raise ValueError(f"workers: must be a whole number of processes (0 or more), not {workers!r}")
    return max(1, min(workers, available_cores()))


def default_workers(n_files: int) -> int:
    """Worker processes ``load_corpus`` uses by default: 1 below ``PARALLEL_FROM_FILES``
    files, else one per core this process may run on.

    >>> default_workers(5)
    1
    """
    if n_files < PARALLEL_FROM_FILES:
        return 1
    return max(1, min(available_cores(), n_files))


def _file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks so its bytes are not kept."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _process_path(name: str, doc_id: str, path: str, sha: str, kind: str = "text", folder: str = "",
                  renamed: bool = False) -> dict:
    """``_process_file`` on a file read here (in the worker), so no process holds every file's bytes."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return _result([_problem(doc_id, name, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}")])
    result = _process_file(name, doc_id, data, sha, kind, folder)
    if renamed:
        result["problems"].insert(0, _problem(doc_id, name, "file_name", FILE_NAME_DETAIL))
    return result


def _process_file(path: str, doc_id: str, data: bytes, sha: str, kind: str = "text", folder: str = "") -> dict:
    """Everything the loader derives from one file; never raises."""
    try:
        return _process(path, doc_id, data, sha, kind, folder)
    except Exception as exc:  # noqa: BLE001 - one bad file never stops the others
        return _result([_problem(doc_id, path, "error", f"{type(exc).__name__}: {exc}")])


def _problem(doc_id: str, path: str, kind: str, detail: str, start: int = -1, end: int = -1) -> dict:
    return {"doc_id": doc_id, "source_file": path, "kind": kind, "detail": detail,
            "start": start, "end": end}


def _decode(data: bytes, kind: str) -> DecodedFile:
    """The text of a file of ``kind`` (text, html, docx, pdf), or why there is none."""
    if kind in ("docx", "pdf"):
        extracted = (docx_text if kind == "docx" else pdf_text)(data)
        if extracted.problem and not extracted.text:
            return DecodedFile("", kind, extracted.problem, extracted.detail)
        return DecodedFile(extracted.text, kind, extracted.problem, extracted.detail)
    return decode_bytes(data)


def _process(path: str, doc_id: str, data: bytes, sha: str, kind: str = "text", folder: str = "") -> dict:
    problems: list[dict] = []
    decoded = _decode(data, kind)
    if not decoded.text:
        return _result([_problem(doc_id, path, decoded.problem or "no_text", decoded.detail)])
    if decoded.problem:
        problems.append(_problem(doc_id, path, decoded.problem, decoded.detail))
    if decoded.controls:
        problems.append(_problem(doc_id, path, "control_characters",
                                 f"{decoded.controls} control character(s) removed (NUL, BEL …: never text)"))
    cleaned = clean_text(decoded.text, html=True if kind == "html" else None)
    for kind, detail in cleaned.problems:
        problems.append(_problem(doc_id, path, kind, detail))
    cleaning = [{"doc_id": doc_id, "step": step, "chars_removed": n,
                 "items": cleaned.removed_items.get(step, 0)}
                for step, n in cleaned.removed_chars.items()]
    for line in cleaned.boilerplate_lines:
        problems.append(_problem(doc_id, path, "boilerplate_removed", line))
    if not cleaned.text:
        problems.append(_problem(doc_id, path, "no_text", "nothing left after cleaning"))
        return _result(problems, cleaning)
    text = cleaned.text
    for start, end in find_mojibake(text):
        problems.append(_problem(doc_id, path, "mojibake", text[start:end], start, end))
    meta = extract_metadata(text, cleaned.front_matter, cleaned.boilerplate_lines)
    for what, detail in meta.problems:
        problems.append(_problem(doc_id, path, what, detail))
    for what in ("issued", "published"):
        when = getattr(meta, what)
        if when is not None and not pd.isna(when) and not _in_pandas_range(when):
            problems.append(_problem(doc_id, path, "date_out_of_range",
                                     f"{what} {when}: outside the dates pandas can hold (1677-2262); left empty"))
            setattr(meta, what, None)
    sections, tasks, structure_problems = structure_rows(doc_id, text)
    for p in structure_problems:
        problems.append(_problem(doc_id, path, p["kind"], p["detail"], p["start"], p["end"]))
    spans = TaskSpans.from_rows(tasks)
    dates = _dates_with_metadata(doc_id, text, spans, meta)
    references, citation_problems = reference_rows(doc_id, text, meta.doc_number, meta.title)
    year = next((d.year for d in (meta.issued, meta.published) if d is not None and not pd.isna(d)), None)
    targets, target_problems = target_rows(doc_id, text, spans, year, dates)
    assignments, agency_problems = assignment_rows(doc_id, text, spans, meta.region, meta.level or "")
    for p in citation_problems + target_problems + agency_problems:
        problems.append(_problem(doc_id, path, p["kind"], p["detail"], p["start"], p["end"]))
    add_directives(text, tasks, [(a["start"], a["end"]) for a in assignments])
    document = {
        "doc_id": doc_id, "source_file": path, "folder": folder, "sha256": sha, "encoding": decoded.encoding,
        "title": meta.title, "headline": meta.headline, "issuer": meta.issuer,
        "level": meta.level, "region": meta.region, "province": meta.province,
        "issued": meta.issued, "published": meta.published, "doc_number": meta.doc_number,
        "script": cleaned.script, "n_chars": len(text), "duplicate_of": None, "text": text,
        "shingles": shingle_sample(text).tolist(),  # not a column: near-duplicate detection, cached per file
        **issuer_fields(text, meta.title, meta.issuer, meta.level, meta.region),
    }
    return _result(problems, cleaning, document, sections=sections, tasks=tasks, dates=dates,
                   references=references, targets=targets, assignments=assignments)


def _in_pandas_range(when: object) -> bool:
    try:
        return pd.Timestamp.min <= pd.Timestamp(when) <= pd.Timestamp.max
    except (ValueError, OverflowError, TypeError):
        return False


def _dates_with_metadata(doc_id: str, text: str, spans: TaskSpans, meta: DocumentMetadata) -> list[dict]:
    """Date rows of the text, with the issue and publication dates marked.

    The signature date is a ``mention`` to the extractor; when its date is the issue
    date it becomes the ``issued`` row.  A date the text does not carry (front matter,
    a 发布时间 bar) is added, first, with offsets -1.
    """
    reference = meta.issued if meta.issued is not None else meta.published
    doc_year = reference.year if reference is not None else None
    rows = date_rows(doc_id, text, spans, doc_year, meta.issued)
    extra = []
    for kind, when in (("issued", meta.issued), ("published", meta.published)):
        if when is None or pd.isna(when):
            continue
        same = next((r for r in rows if r["kind"] == "mention" and r["precision"] == "day"
                     and r["date"] is not None and r["date"] == when), None)
        if same is not None:
            same["kind"] = kind
        else:
            extra.append({"doc_id": doc_id, "task_id": None, "text": str(when.date()), "date": when,
                          "precision": "day", "kind": kind, "start": -1, "end": -1, "end_date": None})
    return extra + rows


def load_corpus(source: str | Path | Iterable[str | Path] | None = None, *, workers: int | None = None,
                keep_duplicates: bool = False, cache: str | Path | None = None, recursive: bool = True) -> Corpus:
    """Load every file of ``source`` into a Corpus.

    ``source`` is a folder, a file, or a list of files (default: the project's seeds).  A
    folder is read with its sub-folders (``recursive``): doc_ids are relative paths
    without extension ("湖北/plan") and ``documents.folder`` names the folder, for grouping.
    Every entry that is not read (a Word 97 file, a scan, a FIFO, a broken link …) is a row
    of ``problems`` (see ``urbanpolicy.ingest.listing``).
    ``workers`` > 1 parses in that many processes (at most one per core); the result is
    identical.  None (the default) uses one per core from 50 files on, else 1.
    A document whose clean text equals an earlier one's is reported as a duplicate and
    left out of the tables unless ``keep_duplicates``.
    ``cache`` is a folder for parsed documents and tables keyed by content, code and
    options (see ``urbanpolicy.cache``); one changed file re-parses that file only.
    None parses every time.

    >>> corpus = load_corpus()                       # doctest: +SKIP
    >>> corpus.documents[["doc_id", "title", "level"]]  # doctest: +SKIP
    """
    listed, listed_ids, listing = source_documents(source, recursive)
    files, ids, hashes = [], [], []
    unreadable = []
    index = HashIndex(Path(cache), [f.path for f in listed]) if cache is not None else None
    for f, doc_id in zip(listed, listed_ids, strict=True):
        try:  # bytes are read again, one file at a time, when parsed
            hashes.append(_file_sha256(Path(f.path)) if index is None else index.sha256(f.path))
        except OSError as exc:
            unreadable.append(_problem(doc_id, f.name, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}"))
            continue
        files.append(f)
        ids.append(doc_id)
    if index is not None:
        index.save()
    front = _result([{"doc_id": p["name"], "source_file": p["name"], "kind": p["kind"], "detail": p["detail"],
                      "start": -1, "end": -1} for p in listing] + unreadable)
    args = [(f.name, i, f.path, h, f.kind, f.folder, f.renamed) for f, i, h in zip(files, ids, hashes, strict=True)]
    folder = Path(cache) if cache is not None else None
    chunks = [range(s, min(s + ASSEMBLY_CHUNK, len(args))) for s in range(0, len(args), ASSEMBLY_CHUNK)]
    cached: list[dict | None] = [None] * len(args)
    entries: list[tuple[dict, dict] | None] = [None] * len(chunks)
    bases: list[tuple[tuple[dict, dict], list[int]] | None] = [None] * len(chunks)
    needed = [n for run in chunks for n in run]  # files whose rows are needed (a run without typed tables)
    file_keys: list[str] = []
    chunk_keys: list[str] = []
    pointers: list[str] = []
    derived = None
    if folder is not None:
        key = corpus_key([a[:2] + a[3:] for a in args] + [front["problems"]], {"keep_duplicates": keep_duplicates})
        derived = read_corpus_entry(folder, key)  # the corpus-wide steps' results, when nothing changed
        file_keys = [file_key(a[0], a[1], a[3], a[4], a[5] + ("\0renamed" if a[6] else "")) for a in args]
        chunk_keys = [chunk_key([file_keys[n] for n in run], keep_duplicates) for run in chunks]
        pointers = [run_pointer_key([args[n][:2] for n in run], keep_duplicates) for run in chunks]
        entries = [read_chunk(folder, k) for k in chunk_keys]
        needed = []
        for i, (run, entry) in enumerate(zip(chunks, entries, strict=True)):
            if entry is None:  # only a run without typed tables needs rows: its changed files' if it had some
                bases[i] = _splice_base(folder, pointers[i], [file_keys[n] for n in run], run)
                needed += bases[i][1] if bases[i] is not None else list(run)
        for n in needed:
            cached[n] = read_file_entry(folder, file_keys[n])
    queued = set()  # files parsed in the order they are needed (by the workers, if any)
    misses = []
    for n in needed:
        if cached[n] is None:
            queued.add(n)
            misses.append(args[n])
            log.debug("parsing %s", args[n][0])
    workers = effective_workers(workers, len(misses))

    def assemble(parsed: Iterable[dict]) -> _Assembly:
        """Every table, run by run: a run's cached typed tables when valid, else its files' rows
        typed (only the changed files' when the run's previous tables can take them)."""
        parsed = iter(parsed)
        assembly = _Assembly(keep_duplicates)
        assembly.add(assembly.typed([front]))
        got: dict[int, dict] = {}  # the current run's files' results, once each
        for i, (run, entry, base) in enumerate(zip(chunks, entries, bases, strict=True)):
            # dropped with each run: kept for the whole load, every document's row dicts stayed
            # resident (1000× the seeds: peak 576 -> 1,525 MB)
            got.clear()
            if entry is not None and assembly.fits(entry[1]):
                assembly.add(entry)
                continue

            def result_of(n: int) -> dict:
                if n not in got:
                    result, cached[n] = cached[n], None  # held by ``got`` for this run only
                    if result is None and folder is not None and n not in queued:  # a run cached alone,
                        result = read_file_entry(folder, file_keys[n])          # not after these documents
                    if result is None:
                        result = next(parsed) if n in queued else _process_path(*args[n])
                        if folder is not None:
                            write_file_entry(folder, file_keys[n], result)
                    got[n] = result
                return got[n]

            typed = None
            if base is not None:
                typed = _spliced(assembly, base[0], [args[n][1] for n in run], [args[n][1] for n in base[1]],
                                 [result_of(n) for n in base[1]])
            if typed is None:
                typed = assembly.typed([result_of(n) for n in run])
            if folder is not None and typed[1]["standalone"]:
                write_chunk(folder, chunk_keys[i], typed[0], typed[1] | {"files": [file_keys[n] for n in run]})
                write_run_pointer(folder, pointers[i], chunk_keys[i])
            assembly.add(typed)
        return assembly

    if workers > 1 and len(misses) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            # results are assembled as they arrive, in order; none is kept once in a table
            assembly = assemble(_parsed_in_order(pool, misses, workers))
    else:
        assembly = assemble(_process_path(*a) for a in misses)
    corpus = assembly.corpus(derived)
    if folder is not None and assembly.derived is not None:
        write_corpus_entry(folder, key, assembly.derived)
    return corpus


def _splice_base(folder: Path, pointer: str, keys: list[str], run: range
                 ) -> tuple[tuple[dict, dict], list[int]] | None:
    """The previous typed tables of a run whose files changed (from its pointer) and the changed
    files (positions in the corpus), when a few changed and those tables can take their new rows:
    standalone, no document repeating another of the run (it would not be one after the change)."""
    previous = read_run_pointer(folder, pointer)
    entry = read_chunk(folder, previous) if previous is not None else None
    if entry is None or len(entry[1]["files"]) != len(keys) or not entry[1]["standalone"]:
        return None
    changed = [n for n, old, new in zip(run, entry[1]["files"], keys, strict=True) if old != new]
    problems = entry[0].get("problems")
    if not changed or 4 * len(changed) > len(keys) or "documents" not in entry[0] \
            or (problems is not None and "duplicate" in problems.column("kind").to_pylist()):
        return None  # (a duplicate within the run: whether it still is depends on the changed files)
    return entry, changed


def _spliced(assembly: _Assembly, entry: tuple[dict, dict], doc_ids: list[str], changed: list[str],
             results: list[dict]) -> tuple[dict, dict] | None:
    """A run's typed tables and record from its previous ones (``entry``) with the ``changed``
    documents' rows replaced by those of ``results`` typed on their own; None (type the whole run)
    when a document would then repeat the text of another or of an earlier run's."""
    tables, extra = entry
    changed_ids = set(changed)
    others = {digest: doc_id for digest, doc_id in extra["digests"] if doc_id not in changed_ids}
    if any(digest in assembly.seen for digest in others):
        return None
    part, part_extra = assembly.typed(results)
    documents = [r["document"]["doc_id"] for r in results if r["document"] is not None]
    if not part_extra["standalone"] or len(part_extra["digests"]) != len(documents) \
            or any(digest in others for digest, _ in part_extra["digests"]):
        return None
    spliced = splice(tables, part, doc_ids, changed)
    if spliced is None:
        return None
    log.debug("splicing %s into its run's tables", ", ".join(changed))
    digest_of = {doc_id: digest for digest, doc_id in [*others.items(), *part_extra["digests"]]}
    shingles = dict(zip(tables["documents"].column("doc_id").to_pylist(), extra["shingles"], strict=True))
    shingles |= dict(zip(documents, part_extra["shingles"], strict=True))
    kept = spliced["documents"].column("doc_id").to_pylist() if "documents" in spliced else []
    return spliced, {"digests": [(digest_of[d], d) for d in doc_ids if d in digest_of],
                     "shingles": [shingles[d] for d in kept], "standalone": True}


PARSE_BATCH = 16  # files a worker parses per round trip: the round trip costs far less than one file
BATCHES_AHEAD = 4  # per worker: batches submitted beyond the one being assembled


def _parse_batch(calls: list[tuple]) -> list[dict]:
    """``_process_path`` over a batch of files, in a worker."""
    return [_process_path(*call) for call in calls]


def _parsed_in_order(pool: ProcessPoolExecutor, calls: list[tuple], workers: int) -> Iterator[dict]:
    """``_process_path(*call)`` for each call, in order, parsed by ``pool`` in small batches.

    At most ``BATCHES_AHEAD`` batches per worker are submitted and not yet assembled:
    ``pool.map`` submits every file at once, so when assembly falls behind the workers every
    finished result waits in memory (at 1000× the seeds, 863 MB in the main process with two
    workers, against 580 MB for the same load in one process).
    """
    batches = iter([calls[n:n + PARSE_BATCH] for n in range(0, len(calls), PARSE_BATCH)])
    pending = deque(pool.submit(_parse_batch, batch) for batch in islice(batches, BATCHES_AHEAD * workers))
    while pending:
        results = pending.popleft().result()
        following = next(batches, None)
        if following is not None:
            pending.append(pool.submit(_parse_batch, following))
        yield from results


ASSEMBLY_CHUNK = 64  # documents whose rows are turned into typed frames (and cached) at a time
_NAMES = ("documents", "problems", "cleaning", *_TABLES)


def _assemble(results: Iterable[dict], keep_duplicates: bool) -> Corpus:
    """Every table of the corpus, typed by ``schema``, from the documents' results in order.

    ``results`` is consumed as it comes: every ``ASSEMBLY_CHUNK`` documents their rows become
    typed frames and the row dicts are dropped, so the whole corpus's row dicts never coexist
    with its tables (they took several times the tables' memory).  The frames of a table are
    concatenated at the end; schema dtypes make that the same table as one built at once.
    """
    assembly = _Assembly(keep_duplicates)
    run: list[dict] = []
    for result in results:
        run.append(result)
        if len(run) == ASSEMBLY_CHUNK:
            assembly.add(assembly.typed(run))
            run = []
    assembly.add(assembly.typed(run))
    return assembly.corpus()


class _Assembly:
    """The corpus's tables built run by run (a run: consecutive files' results, typed at once).

    A run's typed tables depend on the runs before it only through exact duplicates: a run
    none of whose documents repeats an earlier run's text ("standalone") gives the same
    tables wherever it stands, so its tables can be cached and reused (``fits``).
    """

    def __init__(self, keep_duplicates: bool) -> None:
        self.keep_duplicates = keep_duplicates
        self.parts: dict[str, list[pd.DataFrame | pa.Table]] = {name: [] for name in _NAMES}
        self.seen: dict[str, str] = {}  # SHA-256 of a clean text → the first doc_id with it
        self.shingles: list[np.ndarray | None] = []
        self.derived: dict | None = None  # what ``corpus`` computed over every document (None: given)

    def fits(self, extra: dict) -> bool:
        """Whether a run with this record (from ``typed``) is standalone after the runs added so far."""
        return bool(extra.get("standalone")) and not any(d in self.seen for d, _ in extra["digests"])

    def typed(self, results: list[dict]) -> tuple[dict[str, pa.Table], dict]:
        """(typed tables, record) of a run after the runs added so far; the record holds the
        run's first-seen text digests, its kept documents' shingle samples and whether it is standalone."""
        rows: dict[str, list[dict]] = {name: [] for name in _NAMES}
        seen: dict[str, str] = {}
        standalone = True
        shingles: list[list[int] | None] = []
        for result in results:
            rows["problems"].extend(result["problems"])
            rows["cleaning"].extend(result["cleaning"])
            doc = result["document"]
            if doc is None:
                continue
            doc = dict(doc)
            digest = hashlib.sha256(doc["text"].encode("utf-8")).hexdigest()
            earlier = seen.get(digest) or self.seen.get(digest)
            if earlier is not None:
                standalone = standalone and digest in seen
                doc["duplicate_of"] = earlier
                rows["problems"].append(_problem(doc["doc_id"], doc["source_file"], "duplicate",
                                                 f"same clean text as {earlier}"))
            else:
                seen[digest] = doc["doc_id"]
            if self.keep_duplicates or doc["duplicate_of"] is None:
                shingles.append(doc.pop("shingles", None))
                rows["documents"].append(doc)
                for name in _TABLES:
                    rows[name].extend(result[name])
        # each table's columns taken from the rows at once, typed in Arrow (no pandas object per
        # column and run); the runs' tables are joined and converted to pandas once, in ``corpus``
        values = {name: schema.row_values(name, found) for name, found in rows.items() if found}
        if "tasks" in values:
            # task / context / principle / goal / safeguard, from each document's own chapter and task
            # headings: here, run by run, since one pass over the corpus's tasks held lists and dicts
            # of every task id at once (117 MB at 1000× the seeds)
            tasks, sections = values["tasks"], values.get("sections", schema.row_values("sections", []))
            tasks["kind"] = kinds_of(tasks["task_id"], tasks["title"], tasks["parent_task_id"], tasks["section_id"],
                                     sections["section_id"], sections["heading"])
        if "documents" in values:  # each document's own report labels, numbered over the corpus in ``corpus``
            documents = values["documents"]
            labels = document_labels(pd.DataFrame({name: schema.column("documents", name, documents[name]) for name in (
                "doc_id", "title", "issuer", "level", "region", "issued", "published")}))
            documents["short_name"], documents["short_name_en"] = labels["short_name"], labels["short_name_en"]
        tables = {name: schema.arrow_table(name, found) for name, found in values.items()}
        return tables, {"digests": list(seen.items()), "shingles": shingles, "standalone": standalone}

    def add(self, typed: tuple[dict[str, pa.Table], dict]) -> None:
        """Append a run's tables (from ``typed`` or the cache)."""
        tables, extra = typed
        for name, table in tables.items():
            self.parts[name].append(table)
        self.seen.update(dict(extra["digests"]))
        # kept as 4-byte hashes: a list of ints takes ~9× that
        self.shingles.extend(None if s is None else np.asarray(s, dtype=np.uint32) for s in extra["shingles"])

    def corpus(self, derived: dict | None = None) -> Corpus:
        """The corpus: the runs' tables joined, then the steps that need every document.

        ``derived`` is what those steps gave for the same inputs and code (``derived`` of an earlier
        assembly, from the cache's corpus entry): used instead of recomputing them when it fits.
        """
        parts = self.parts
        documents = _concat("documents", parts.pop("documents"))
        n_references = sum(len(part) for part in parts["references"])
        if derived is not None and not (len(derived["short_name"]) == len(derived["short_name_en"]) == len(documents)
                                        and len(derived["cited_doc_id"]) == n_references):
            derived = None
        doc_ids = documents["doc_id"].tolist()  # (iterating an Arrow-backed column converts value by value)
        pairs = [tuple(p) for p in derived["near"]] if derived is not None else near_duplicates(
            (doc_id, documents["text"].iat[n] if sample is None else sample)
            for n, (doc_id, sample) in enumerate(zip(doc_ids, self.shingles, strict=True)))
        sources = dict(zip(doc_ids, documents["source_file"].tolist(), strict=True)) if pairs else {}
        near = [_problem(later, sources[later], "near_duplicate",
                         f"same document as {earlier} in another scrape (containment {score:.2f})")
                for later, earlier, score in pairs]
        if near:  # after every other problem, as they are found after every document
            parts["problems"].append(schema.arrow_table("problems", schema.row_values("problems", near)))
        tables = {"documents": documents} | {name: _concat(name, parts.pop(name)) for name in list(parts)}
        linked = derived["cited_doc_id"] if derived is not None else _reference_links(tables["references"], documents)
        tables["references"] = _link_references(tables["references"], linked)
        if derived is not None:
            names = pd.DataFrame({"short_name": derived["short_name"], "short_name_en": derived["short_name_en"]},
                                 index=documents.index)
        else:  # report labels, computed once here rather than in every chart
            names = pd.DataFrame({name: unique_names(documents[name].tolist()) for name in ("short_name", "short_name_en")},
                                 index=documents.index)
        if len(documents):
            documents[["short_name", "short_name_en"]] = names.astype(documents["title"].dtype)
        if derived is None:
            self.derived = {"near": [list(p) for p in pairs], "cited_doc_id": linked,
                            "short_name": names["short_name"].tolist(),
                            "short_name_en": names["short_name_en"].tolist()}
        return Corpus(**tables)


def _concat(table: str, parts: list[pa.Table]) -> pd.DataFrame:
    """One table from its typed runs (Arrow tables, typed here or read from the cache; none: the
    schema's empty table), converted to pandas once."""
    return schema.from_arrow(table, parts)


def _reference_links(references: pd.DataFrame, documents: pd.DataFrame) -> list[str | None]:
    """The doc_id each reference cites when its number or title is a document of the corpus, else None."""
    if references.empty:
        return []
    doc_ids = documents["doc_id"].tolist()  # lists: iterating an Arrow-backed column converts value by value
    by_number = {n: d for n, d in zip(documents["doc_number"].tolist(), doc_ids, strict=True) if isinstance(n, str)}
    by_title = {normalise_title(t): d for t, d in zip(documents["title"].tolist(), doc_ids, strict=True)
                if isinstance(t, str)}
    linked = [by_number.get(n) if isinstance(n, str) else None for n in references["cited_number"].tolist()]
    return [d if d is not None else by_title.get(t) if isinstance(t, str) else None
            for d, t in zip(linked, references["cited_title"].tolist(), strict=True)]


def _link_references(references: pd.DataFrame, linked: list[str | None]) -> pd.DataFrame:
    """``references`` with ``cited_doc_id`` filled from ``linked`` (``_reference_links``)."""
    if references.empty:
        return references
    references = references.copy()
    references["cited_doc_id"] = pd.Series(linked, index=references.index,
                                           dtype=schema.dtypes("references")["cited_doc_id"])
    return references
