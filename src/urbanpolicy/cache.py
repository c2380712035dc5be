"""An explicit on-disk cache of parsed documents and corpora, safe to read and keyed by content and code.

Entries, all in formats that cannot run code when read:

``files/<kk>/<key>.json``
    What one file contributes to the tables (its rows), as checksummed JSON.  The key
    hashes the package's code and data files, the file's name, doc_id and SHA-256, so
    after one file of a thousand changes only that file is parsed again.
``chunks/<kk>/<key>.arrow``
    The typed tables of a run of consecutive files (``corpus.ASSEMBLY_CHUNK``) as Arrow IPC
    streams in one checksummed file, with their text digests and shingle samples; the key hashes
    the run's file keys.  After one file of a thousand changes, the other runs' tables are read
    (one file each, no decoding), joined and converted to DataFrames once per table, and the
    changed file's rows are spliced into its run's previous tables (``runs/<kk>/<key>.json``
    points at them; keyed by the run's file names, not contents), or its run is typed again.
``corpus/<kk>/<key>.json``
    What the loader's corpus-wide steps (near-duplicates, reference links, short names) gave,
    as checksummed JSON; the key hashes the same code fingerprint, every input and the loader
    options.  With it, loading an unchanged corpus (a second notebook of the same run) only
    reads the runs' tables.
``index/<kk>/<key>.json``
    Each listed file's status (size, times, inode) and SHA-256, so unchanged files are not read
    to hash them (``HashIndex``; why that is safe: docs/parse-cache.md).

Anything unreadable, truncated, altered or missing is a miss (and is rewritten), never
an error.  The cache lives outside the deliverables folder: ``$URBANPOLICY_CACHE_DIR``,
else ``$XDG_CACHE_HOME/urbanpolicy``, else ``~/.cache/urbanpolicy``; ``urbanpolicy run
--no-cache`` bypasses it and ``make clean`` (or deleting that folder) clears it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc  # noqa: F401 - pa.ipc

from urbanpolicy import settings

CACHE_ENV = settings.CACHE_ENV  # the cache folder of the current ``urbanpolicy run`` (set by the runner)
CACHE_DIR_ENV = settings.CACHE_DIR_ENV
FORMAT = "urbanpolicy-cache-3"
log = logging.getLogger("urbanpolicy.cache")


def default_cache_dir() -> Path:
    """Where ``urbanpolicy run`` keeps its cache: $URBANPOLICY_CACHE_DIR, $XDG_CACHE_HOME/urbanpolicy or ~/.cache/urbanpolicy."""
    if os.environ.get(CACHE_DIR_ENV):
        return Path(os.environ[CACHE_DIR_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "urbanpolicy"


def run_cache() -> Path | None:
    """The cache folder of the current ``urbanpolicy run``, or None outside a run or with --no-cache."""
    value = os.environ.get(CACHE_ENV)
    return Path(value) if value else None


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over every code and data file of the installed package (names and bytes).

    A changed parser, rule or word list changes it, so no table made by other code is served.
    """
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(FORMAT.encode())
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and p.suffix not in (".pyc", ".pyo")):
        digest.update(path.relative_to(root).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _key(payload: object) -> str:
    text = json.dumps([code_fingerprint(), payload], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def file_key(name: str, doc_id: str, sha256: str, kind: str, folder: str) -> str:
    """Key of one file's entry: code, the file's name, id, type, folder and content hash."""
    return _key(["file", name, doc_id, sha256, kind, folder])


def corpus_key(files: list[tuple], options: dict) -> str:
    """Key of a whole corpus: code, every file's (name, doc_id, sha256, kind, folder), options and listing problems."""
    return _key(["corpus", files, options])


# ---------------------------------------------------------------- per-file entries (JSON)
def _encode(value: object) -> object:
    if value is pd.NaT:
        return {"$nat": 1}
    if isinstance(value, pd.Timestamp):
        return {"$ts": value.isoformat()}
    if value is pd.NA:
        return {"$na": 1}
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(obj: dict) -> object:
    if len(obj) == 1:
        if "$ts" in obj:
            return pd.Timestamp(obj["$ts"])
        if "$na" in obj:
            return pd.NA
        if "$nat" in obj:
            return pd.NaT
    return obj


def _checksummed(body: bytes) -> bytes:
    return FORMAT.encode() + b" " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def _verified(data: bytes) -> bytes | None:
    head, _, body = data.partition(b"\n")
    parts = head.split(b" ")
    if len(parts) != 2 or parts[0] != FORMAT.encode() or hashlib.sha256(body).hexdigest().encode() != parts[1]:
        return None
    return body


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def read_file_entry(folder: Path, key: str) -> dict | None:
    """One file's cached result, or None on a miss (absent, damaged or not ours)."""
    try:
        body = _verified((folder / "files" / key[:2] / f"{key}.json").read_bytes())
        if body is None:
            return None
        result = json.loads(body, object_hook=_decode)
        return result if isinstance(result, dict) else None
    except (OSError, ValueError, TypeError):
        return None


def write_file_entry(folder: Path, key: str, result: dict) -> None:
    """Store one file's result; a value JSON cannot hold exactly leaves it uncached."""
    try:
        body = json.dumps(result, default=_encode, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError):
        return
    _atomic_write(folder / "files" / key[:2] / f"{key}.json", _checksummed(body))


# ---------------------------------------------------------------- content hashes by file status
RACY_NS = 3_000_000_000  # a file changed less than this before it was hashed is hashed again next time


class HashIndex:
    """The SHA-256 of each file of a listing, remembered with the file's status (size, mtime,
    ctime, inode, device) as git's index does, so an unchanged file is not read to hash it again.

    A remembered hash is used only when the file's status is the same as when it was hashed and
    the file had not changed within ``RACY_NS`` before that moment.  A file changed just before
    it was hashed is "racily clean": a second edit in the same timestamp tick (file times are
    taken from a coarse clock, 1 ms to 2 s depending on the filesystem) could keep its size and
    times, so such a file is hashed again on every load until its last change is older than
    ``RACY_NS``.  Any write or ``touch`` changes the ctime, which no program can set back.  Why
    this is safe: docs/parse-cache.md.  Stored per set of folders as checksummed JSON
    (``index/<kk>/<key>.json``); a damaged or missing index only means every file is hashed.
    """

    def __init__(self, folder: Path, paths: list[str]) -> None:
        folders = sorted({os.path.dirname(os.path.abspath(p)) for p in paths})
        key = hashlib.sha256(json.dumps(["index", FORMAT, folders]).encode("utf-8", "surrogateescape")).hexdigest()
        self.path = folder / "index" / key[:2] / f"{key}.json"
        self.known: dict[str, list] = {}
        self.fresh: dict[str, list] = {}
        try:
            body = _verified(self.path.read_bytes())
            entries = None if body is None else json.loads(body)
        except (OSError, ValueError):
            entries = None
        if isinstance(entries, dict):
            self.known = {k: v for k, v in entries.items() if isinstance(v, list) and len(v) == 7}

    def sha256(self, path: str) -> str:
        """The file's SHA-256 (hex), remembered or read; raises OSError when it cannot be read."""
        name = os.path.abspath(path)
        hashed_at = time.time_ns()
        status = os.stat(name)
        signature = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev]
        entry = self.known.get(name)
        if (entry is not None and entry[:5] == signature and isinstance(entry[6], str)
                and max(entry[1], entry[2]) < entry[5] - RACY_NS):
            self.fresh[name] = entry
            return entry[6]
        log.debug("hashing %s", path)
        with open(name, "rb") as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
        self.fresh[name] = [*signature, hashed_at, digest]
        return digest

    def save(self) -> None:
        """Store what this load saw (only the files it asked about), unless nothing changed."""
        if self.fresh != self.known:
            _atomic_write(self.path, _checksummed(json.dumps(self.fresh, ensure_ascii=False).encode(
                "utf-8", "surrogateescape")))


# ---------------------------------------------------------------- corpus entries (JSON)
def read_corpus_entry(folder: Path, key: str) -> dict | None:
    """What the loader's corpus-wide steps gave for ``key`` (``_Assembly.derived``: near-duplicate
    pairs, reference links, short names), or None on a miss."""
    try:
        body = _verified((folder / "corpus" / key[:2] / f"{key}.json").read_bytes())
        entry = None if body is None else json.loads(body)
    except (OSError, ValueError):
        return None
    if not (isinstance(entry, dict) and isinstance(entry.get("near"), list)
            and all(isinstance(p, list) and len(p) == 3 for p in entry["near"])
            and all(isinstance(entry.get(name), list) for name in ("cited_doc_id", "short_name", "short_name_en"))):
        return None
    return entry


def write_corpus_entry(folder: Path, key: str, derived: dict) -> None:
    """Store the corpus-wide steps' results ``derived`` under ``key``: small, as the tables
    themselves are the runs' entries."""
    try:
        body = json.dumps(derived, ensure_ascii=False, allow_nan=False).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError):
        return
    _atomic_write(folder / "corpus" / key[:2] / f"{key}.json", _checksummed(body))


# ---------------------------------------------------------------- runs of files (Arrow IPC)
def chunk_key(file_keys: list[str], keep_duplicates: bool) -> str:
    """Key of a run of consecutive files' typed tables: code, each file's key and the options."""
    return _key(["chunk", file_keys, keep_duplicates])


# A run's entry is one file: a header line with the CRC-32 of the rest (what zip and PNG use to
# detect damage: 4x faster than SHA-256 over the ~40 MB of a thousand files' tables; the keys
# stay SHA-256), a JSON index, then each table as an Arrow IPC stream.  One read and one checksum
# per run; the tables are the Arrow buffers of that read (no decoding: Parquet cost ~5 ms per file
# and table, 132 of them per reload of 1,000 files).  Read into memory rather than memory-mapped:
# a mapped file cut short by someone else while its tables are in use would crash the process
# (SIGBUS) instead of being a miss.
_RUN = (FORMAT + "-run").encode()


def read_chunk(folder: Path, key: str) -> tuple[dict[str, pa.Table], dict] | None:
    """The typed tables of a run of files (Arrow tables; ``schema.from_arrow`` makes DataFrames of them) and
    what the loader needs besides (``digests``: first-seen text digest → doc_id pairs, ``shingles``:
    the kept documents' shingle samples, ``standalone``), or None on a miss."""
    try:
        data = (folder / "chunks" / key[:2] / f"{key}.arrow").read_bytes()
        head_end = data.index(b"\n")
        head = data[:head_end].split(b" ")
        view = memoryview(data)[head_end + 1:]
        if len(head) != 2 or head[0] != _RUN or b"%08x" % zlib.crc32(view) != head[1]:
            return None
        index_end = data.index(b"\n", head_end + 1)
        index = json.loads(data[head_end + 1:index_end])
        body = pa.py_buffer(data)
        parts = {name: pa.ipc.open_stream(body[index_end + 1 + start:index_end + 1 + start + size]).read_all()
                 for name, start, size in index["parts"]}
        run = parts.pop("__run__")
        shingles = _samples(run.column("shingles"))
        digests = parts.pop("__digests__")
        extra = {"digests": list(zip(digests.column("digest").to_pylist(), digests.column("doc_id").to_pylist(),
                                     strict=True)),
                 "shingles": shingles, "standalone": bool(index["standalone"]), "files": index.get("files", [])}
        return parts, extra
    except Exception:  # noqa: BLE001 - whatever a damaged entry raises (OSError, ArrowInvalid, KeyError …) is a miss
        return None


def write_chunk(folder: Path, key: str, tables: dict[str, pd.DataFrame | pa.Table], extra: dict) -> None:
    """Store the typed tables of a run of files (DataFrames, or Arrow tables from ``splice``) with its
    record ``extra`` (from ``_Assembly.typed``, plus ``files``: the run's file keys)."""
    try:
        arrow = {name: frame if isinstance(frame, pa.Table) else _arrow(frame) for name, frame in tables.items()
                 if isinstance(frame, pa.Table) or "object" not in set(map(str, frame.dtypes))}  # no exact round trip
        if len(arrow) != len(tables):
            return
        digests = extra["digests"]
        arrow["__digests__"] = pa.table({"digest": pa.array([d for d, _ in digests], pa.string()),
                                         "doc_id": pa.array([i for _, i in digests], pa.string())})
        arrow["__run__"] = pa.table({"shingles": pa.array(
            [None if s is None else np.asarray(s, dtype=np.uint32) for s in extra["shingles"]],
            pa.list_(pa.uint32()))})
    except (pa.ArrowException, TypeError, ValueError):
        return
    index, body, offset = [], [], 0
    for name, table in arrow.items():
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        data = sink.getvalue()
        index.append([name, offset, data.size])
        body.append(data)
        offset += data.size
    rest = b"".join([json.dumps({"parts": index, "standalone": bool(extra["standalone"]),
                                 "files": list(extra.get("files", []))}).encode(), b"\n", *body])
    _atomic_write(folder / "chunks" / key[:2] / f"{key}.arrow",
                  _RUN + b" " + b"%08x" % zlib.crc32(rest) + b"\n" + rest)


def _arrow(frame: pd.DataFrame | pa.Table) -> pa.Table:
    """A typed table as Arrow, as the runs' entries hold it (the loader types runs in Arrow already)."""
    return frame if isinstance(frame, pa.Table) else _wide_codes(pa.Table.from_pandas(frame, preserve_index=False))


def run_pointer_key(files: list[tuple[str, str]], keep_duplicates: bool) -> str:
    """Key of the pointer to the last entry written for a run of these files ((name, doc_id) each),
    whatever their content: where a reload finds the run's tables from before a file changed."""
    return _key(["run", files, keep_duplicates])


def read_run_pointer(folder: Path, key: str) -> str | None:
    """The chunk key a run's pointer names, or None."""
    try:
        body = _verified((folder / "runs" / key[:2] / f"{key}.json").read_bytes())
        value = None if body is None else json.loads(body)
    except (OSError, ValueError):
        return None
    return value if isinstance(value, str) else None


def write_run_pointer(folder: Path, key: str, chunk: str) -> None:
    """Point a run's pointer at the chunk entry just written for it."""
    _atomic_write(folder / "runs" / key[:2] / f"{key}.json", _checksummed(json.dumps(chunk).encode()))


def splice(base: dict[str, pa.Table], part: dict[str, pd.DataFrame | pa.Table], doc_ids: list[str],
           changed: list[str]) -> dict[str, pa.Table] | None:
    """A run's tables ``base`` (from its entry) with the rows of the ``changed`` documents replaced
    by their rows in ``part`` (those documents typed on their own), or None when the rows are not
    grouped by document in ``doc_ids`` order (then the run is typed again whole).

    Every table holds a document's rows together, documents in the run's order, and a row depends
    on its own document only, so this is the table typing the whole run would give.
    """
    position = {doc_id: n for n, doc_id in enumerate(doc_ids)}
    if len(position) != len(doc_ids):
        return None
    spots = sorted(position[d] for d in changed)
    out: dict[str, pa.Table] = {}
    for name in [*base, *(n for n in part if n not in base)]:
        new = _arrow(part[name]) if name in part else None
        old = base.get(name)
        if old is None or new is None:
            old_or_new = old if old is not None else new
            rows = _positions(old_or_new, position)
            if rows is None:
                return None
            if new is None:  # the changed documents have no rows here now
                keep = ~np.isin(rows, spots)
                out[name] = old.filter(pa.array(keep)) if not keep.all() else old
            else:  # only the changed documents have rows here
                out[name] = new
            continue
        if not new.schema.equals(old.schema, check_metadata=False):
            return None
        old_rows, new_rows = _positions(old, position), _positions(new, position)
        if old_rows is None or new_rows is None:
            return None
        pieces, start = [], 0
        for spot in spots:
            cut, resume = np.searchsorted(old_rows, spot, "left"), np.searchsorted(old_rows, spot, "right")
            first, last = np.searchsorted(new_rows, spot, "left"), np.searchsorted(new_rows, spot, "right")
            pieces += [old.slice(start, cut - start), new.slice(first, last - first)]
            start = resume
        pieces.append(old.slice(start))
        out[name] = pa.concat_tables(pieces)
    return out


def _positions(table: pa.Table, position: dict[str, int]) -> np.ndarray | None:
    """The run position of each row's document, or None if a row names another document or the
    rows are not in document order."""
    column = table.column("doc_id").combine_chunks()
    if pa.types.is_dictionary(column.type):
        lookup = np.array([position.get(d, -1) for d in column.dictionary.to_pylist()] + [-1], dtype=np.int64)
        codes = column.indices.fill_null(len(column.dictionary)).to_numpy(zero_copy_only=False)
        rows = lookup[codes]
    else:
        rows = np.array([position.get(d, -1) for d in column.to_pylist()], dtype=np.int64)
    if (rows < 0).any() or (rows[1:] < rows[:-1]).any():
        return None
    return rows


def _wide_codes(table: pa.Table) -> pa.Table:
    """``table`` with every dictionary (categorical) column's indices 32-bit: pandas picks 8 or 16
    bits by the number of categories, and runs whose widths differ could not be joined in Arrow
    (pandas narrows the codes again when it converts them)."""
    fields = [pa.field(f.name, pa.dictionary(pa.int32(), f.type.value_type), f.nullable)
              if pa.types.is_dictionary(f.type) else f for f in table.schema]
    return table.cast(pa.schema(fields, metadata=table.schema.metadata))


def _samples(column: pa.ChunkedArray) -> list[np.ndarray | None]:
    """The shingle samples of a ``list<uint32>`` column as NumPy arrays (None where null)."""
    out: list[np.ndarray | None] = []
    for chunk in column.chunks:
        values = chunk.values.to_numpy(zero_copy_only=False)
        offsets = chunk.offsets.to_numpy()
        valid = chunk.is_valid().to_numpy(zero_copy_only=False)
        out.extend(values[offsets[n]:offsets[n + 1]] if valid[n] else None for n in range(len(chunk)))
    return out
