"""An explicit on-disk cache of parsed documents and corpora, safe to read and keyed by content and code.

Two kinds of entry, both in formats that cannot run code when read:

``files/<key>.json``
    What one file contributes to the tables (its rows), as checksummed JSON.  The key
    hashes the package's code and data files, the file's name, doc_id and SHA-256, so
    after one file of a thousand changes only that file is parsed again.
``chunks/<kk>/<key>.arrow``
    The typed tables of a run of consecutive files (``corpus.ASSEMBLY_CHUNK``) as Arrow IPC
    streams in one checksummed file, with their text digests and shingle samples; the key hashes
    the run's file keys.  After one file of a thousand changes, the other runs' tables are read
    (one file each, no decoding), joined and converted to DataFrames once per table, and only
    the changed file's run is typed again from its files' entries.
``corpus/<key>/``
    Every table of a loaded corpus as Parquet, with ``manifest.json`` holding each
    file's SHA-256.  The key hashes the same code fingerprint, every input and the
    loader options.  A second notebook of the same run reads this in milliseconds.

Anything unreadable, truncated, altered or missing is a miss (and is rewritten), never
an error.  The cache lives outside the deliverables folder: ``$URBANPOLICY_CACHE_DIR``,
else ``$XDG_CACHE_HOME/urbanpolicy``, else ``~/.cache/urbanpolicy``; ``urbanpolicy run
--no-cache`` bypasses it and ``make clean`` (or deleting that folder) clears it.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import math
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc  # noqa: F401 - pa.ipc

from urbanpolicy import settings

CACHE_ENV = settings.CACHE_ENV  # the cache folder of the current ``urbanpolicy run`` (set by the runner)
CACHE_DIR_ENV = settings.CACHE_DIR_ENV
FORMAT = "urbanpolicy-cache-2"
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


# ---------------------------------------------------------------- corpus entries (Parquet)
_NULL_CODES = {"none": 1, "na": 2, "nan": 3}


def _null_code(value: object) -> int:
    if value is None:
        return 1
    if value is pd.NA:
        return 2
    if isinstance(value, float) and math.isnan(value):
        return 3
    return 0


def _to_parquet(frame: pd.DataFrame) -> tuple[bytes, dict] | None:
    """Parquet bytes of a table plus what restores its object columns exactly, or None if it cannot be."""
    frame = frame.copy()
    objects: dict[str, bool] = {}
    for col in frame.columns:
        if frame[col].dtype != object:
            continue
        values = frame[col].tolist()
        if any(v is not None and v is not pd.NA and not isinstance(v, str | float) for v in values):
            return None
        codes = [_null_code(v) for v in values]
        objects[col] = any(codes)
        if any(codes):
            frame[f"__null__{col}"] = pd.array(codes, dtype="int8")
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    return buffer.getvalue(), {"object_columns": objects}


def _from_parquet(data: bytes, info: dict) -> pd.DataFrame:
    frame = pd.read_parquet(io.BytesIO(data))
    for col, has_nulls in info["object_columns"].items():
        values = frame[col].astype(object)
        if has_nulls:
            codes = frame.pop(f"__null__{col}").tolist()
            sentinels = {1: None, 2: pd.NA, 3: float("nan")}
            values = pd.Series([sentinels[c] if c else v for v, c in zip(values.tolist(), codes, strict=True)],
                               index=frame.index, dtype=object)
        frame[col] = values
    return frame


def read_tables(folder: Path, key: str) -> dict[str, pd.DataFrame] | None:
    """The cached tables for ``key``, or None on a miss (absent, partial, altered or unreadable)."""
    entry = _read_entry(folder / "corpus" / key)
    return None if entry is None else entry[0]


def write_tables(folder: Path, key: str, tables: dict[str, pd.DataFrame]) -> None:
    """Store tables under ``key``, replacing a damaged entry; written aside and renamed into place,
    so a parallel reader never sees half an entry."""
    _write_entry(folder / "corpus" / key, tables, {})


def chunk_key(file_keys: list[str], keep_duplicates: bool) -> str:
    """Key of a run of consecutive files' typed tables: code, each file's key and the options."""
    return _key(["chunk", file_keys, keep_duplicates])


# A run's entry is one file: a checksummed header line, a JSON index, then each table as an Arrow
# IPC stream.  One read and one checksum per run; the tables are the Arrow buffers of that read
# (no decoding: Parquet's per-file decode cost ~5 ms per table, 132 of them per reload of 1,000
# files).  Read into memory rather than memory-mapped: a mapped file cut short by someone else while
# its tables are in use would crash the process (SIGBUS) instead of being a miss.
_RUN = (FORMAT + "-run").encode()


def read_chunk(folder: Path, key: str) -> tuple[dict[str, pa.Table], dict] | None:
    """The typed tables of a run of files (Arrow tables; ``as_frames`` makes DataFrames of them) and
    what the loader needs besides (``digests``: first-seen text digest → doc_id pairs, ``shingles``:
    the kept documents' shingle samples, ``standalone``), or None on a miss."""
    try:
        data = (folder / "chunks" / key[:2] / f"{key}.arrow").read_bytes()
        head_end = data.index(b"\n")
        head = data[:head_end].split(b" ")
        view = memoryview(data)[head_end + 1:]
        if len(head) != 2 or head[0] != _RUN or hashlib.sha256(view).hexdigest().encode() != head[1]:
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
                 "shingles": shingles, "standalone": bool(index["standalone"])}
        return parts, extra
    except Exception:  # noqa: BLE001 - whatever a damaged entry raises (OSError, ArrowInvalid, KeyError …) is a miss
        return None


def write_chunk(folder: Path, key: str, tables: dict[str, pd.DataFrame], extra: dict) -> None:
    """Store the typed tables of a run of files with its record ``extra`` (from ``_Assembly.typed``)."""
    try:
        arrow = {name: pa.Table.from_pandas(frame, preserve_index=False) for name, frame in tables.items()
                 if "object" not in set(map(str, frame.dtypes))}  # an untyped column: no exact round trip
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
    rest = b"".join([json.dumps({"parts": index, "standalone": bool(extra["standalone"])}).encode(), b"\n",
                     *body])
    _atomic_write(folder / "chunks" / key[:2] / f"{key}.arrow",
                  _RUN + b" " + hashlib.sha256(rest).hexdigest().encode() + b"\n" + rest)


def _sorted_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each categorical column's categories sorted, as ``schema`` builds them (Arrow
    joins the runs' dictionaries in the order it meets them)."""
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.CategoricalDtype):
            categories = frame[col].cat.categories
            ordered = sorted(categories)
            if categories.tolist() != ordered:
                frame[col] = frame[col].cat.reorder_categories(pd.Index(ordered, dtype=categories.dtype))
    return frame


def _samples(column: pa.ChunkedArray) -> list[np.ndarray | None]:
    """The shingle samples of a ``list<uint32>`` column as NumPy arrays (None where null)."""
    out: list[np.ndarray | None] = []
    for chunk in column.chunks:
        values = chunk.values.to_numpy(zero_copy_only=False)
        offsets = chunk.offsets.to_numpy()
        valid = chunk.is_valid().to_numpy(zero_copy_only=False)
        out.extend(values[offsets[n]:offsets[n + 1]] if valid[n] else None for n in range(len(chunk)))
    return out


def as_frames(parts: list[pd.DataFrame | pa.Table]) -> list[pd.DataFrame]:
    """``parts`` of one table as DataFrames, each stretch of consecutive Arrow tables (cached runs)
    joined and converted in one call (a conversion per run and table cost more than reading them)."""
    out: list[pd.DataFrame] = []
    stretch: list[pa.Table] = []
    for part in [*parts, None]:
        if isinstance(part, pa.Table):
            stretch.append(part)
            continue
        if stretch:
            out.append(_sorted_categories(pa.concat_tables(stretch).to_pandas()))
            stretch = []
        if part is not None:
            out.append(part)
    return out


def _read_entry(entry: Path) -> tuple[dict[str, pd.DataFrame], dict] | None:
    try:
        body = _verified((entry / "manifest.json").read_bytes())
        if body is None:
            return None
        manifest = json.loads(body)
        tables = {}
        for name, info in manifest["tables"].items():
            data = (entry / f"{name}.parquet").read_bytes()
            if hashlib.sha256(data).hexdigest() != info["sha256"]:
                return None
            tables[name] = _from_parquet(data, info)
        extra = manifest.get("extra", {})
        return (tables, extra) if isinstance(extra, dict) else None
    except Exception:  # noqa: BLE001 - whatever a damaged entry raises (OSError, ArrowInvalid, KeyError …) is a miss
        return None


def _write_entry(entry: Path, tables: dict[str, pd.DataFrame], extra: dict) -> None:
    encoded = {}
    for name, frame in tables.items():
        parquet = _to_parquet(frame)
        if parquet is None:
            return
        encoded[name] = parquet
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=entry.parent, prefix=".tmp-"))
    manifest: dict = {"tables": {}, "extra": extra}
    for name, (data, info) in encoded.items():
        (tmp / f"{name}.parquet").write_bytes(data)
        manifest["tables"][name] = {"sha256": hashlib.sha256(data).hexdigest(), **info}
    (tmp / "manifest.json").write_bytes(_checksummed(json.dumps(manifest, sort_keys=True).encode()))
    if entry.exists():
        shutil.rmtree(entry, ignore_errors=True)  # a damaged entry (a good one would have been a hit)
    try:
        tmp.rename(entry)
    except OSError:  # another process won the race; its entry is identical
        shutil.rmtree(tmp, ignore_errors=True)
