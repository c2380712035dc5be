"""An explicit on-disk cache of parsed corpora, keyed by content, never by path or time.

The key is a hash of the package version, the loader options and the SHA-256 of every
input file, so an edited file, a new version of the parser or a different option set
all miss.  ``urbanpolicy run`` points every notebook of one run at the same cache
folder (environment variable ``URBANPOLICY_CACHE``) so four notebooks parse the files
once.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from urbanpolicy import settings

CACHE_ENV = settings.CACHE_ENV


def run_cache() -> Path | None:
    """The cache folder of the current ``urbanpolicy run``, or None outside a run."""
    value = os.environ.get(CACHE_ENV)
    return Path(value) if value else None


def cache_key(file_hashes: list[tuple[str, str]], options: dict) -> str:
    """Return the hex key for these (name, sha256) inputs and loader options.

    >>> cache_key([("a.txt", "00")], {"keep_duplicates": False})[:8]  # doctest: +SKIP
    """
    from urbanpolicy import __version__

    payload = json.dumps({"version": __version__, "files": file_hashes, "options": options},
                         sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def read_tables(folder: Path, key: str) -> dict[str, pd.DataFrame] | None:
    """Return the cached tables for ``key``, or None on a miss."""
    entry = folder / key
    if not (entry / "complete").exists():
        return None
    return {p.stem: pd.read_pickle(p) for p in sorted(entry.glob("*.pkl"))}


def write_tables(folder: Path, key: str, tables: dict[str, pd.DataFrame]) -> None:
    """Store tables under ``key``; written to a temporary folder and renamed, so parallel
    notebooks never read a half-written entry."""
    folder.mkdir(parents=True, exist_ok=True)
    entry = folder / key
    if entry.exists():
        return
    tmp = Path(tempfile.mkdtemp(dir=folder, prefix=".tmp-"))
    for name, frame in tables.items():
        # pickle, not Parquet: it round-trips every dtype exactly, and the cache is private
        frame.to_pickle(tmp / f"{name}.pkl")
    (tmp / "complete").write_text("ok", encoding="utf-8")
    try:
        tmp.rename(entry)
    except OSError:  # another process won the race; its entry is identical
        shutil.rmtree(tmp, ignore_errors=True)
