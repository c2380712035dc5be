"""Which entries of a source are documents, and a ``problems`` row for every one that is not.

A scraper's folder holds more than text files: web pages saved under a server's extension
(``.shtml``, ``.jsp``, ``.aspx``, ``.php`` …), Word and PDF files, dot-files, sub-folders
(one per province), links that point nowhere or back to their own folder, FIFOs, file
names written in GBK bytes.  ``list_sources`` walks the source once, without following
links to folders and without opening anything that is not a regular file, and returns the
files to read plus one problem row for every other entry, so nothing is dropped silently.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

# Plain text; read with the encoding detection of ``reading.decode_bytes``.
TEXT_SUFFIXES = frozenset({"", ".txt", ".text", ".md", ".xml"})
# Web pages, whatever the server that produced them: always parsed as HTML.
WEB_SUFFIXES = frozenset({".htm", ".html", ".xhtml", ".shtml", ".shtm", ".jsp", ".jspx", ".asp", ".aspx",
                          ".php", ".php3", ".cgi", ".do", ".action", ".cfm", ".mht"})
# Read with a library: python-docx for Word 2007+ files, pypdf for a PDF's text layer.
LIBRARY_SUFFIXES = frozenset({".docx", ".pdf"})
# Office formats we cannot read; the problem row says how to convert them.
CONVERT_HINTS = {
    ".doc": "an old Word file: convert it to .docx (e.g. soffice --headless --convert-to docx FILE)",
    ".wps": "a WPS Office file: convert it to .docx (e.g. soffice --headless --convert-to docx FILE)",
    ".rtf": "an RTF file: convert it to .docx or .txt (e.g. soffice --headless --convert-to docx FILE)",
    ".odt": "an OpenDocument file: convert it to .docx (e.g. soffice --headless --convert-to docx FILE)",
    ".ofd": "an OFD file (China's fixed-layout format): convert it to PDF or .docx with an OFD reader",
    ".caj": "a CAJ file: convert it to PDF with CAJViewer",
    ".xls": "a spreadsheet, not a policy document: convert it to .csv if it matters",
    ".xlsx": "a spreadsheet, not a policy document: convert it to .csv if it matters",
    ".et": "a WPS spreadsheet, not a policy document",
    ".ppt": "a presentation: convert it to PDF (e.g. soffice --headless --convert-to pdf FILE)",
    ".pptx": "a presentation: convert it to PDF (e.g. soffice --headless --convert-to pdf FILE)",
    ".dps": "a WPS presentation: convert it to PDF",
}


FILE_NAME_DETAIL = "file name is not UTF-8; its bytes were read as GB18030"
# Pseudo file systems: their "files" are kernel interfaces, some of which block when read.
PSEUDO_ROOTS = ("/proc", "/sys", "/dev")


@dataclass(frozen=True)
class SourceFile:
    """One file to read.

    ``path`` opens it; ``name`` is how the tables refer to it (the path relative to the
    source folder, or the path as given for a file source); ``folder`` is the relative
    folder ("" at the top, always "" for file sources); ``kind`` is "text", "html",
    "docx" or "pdf".
    """

    path: str
    name: str
    folder: str
    kind: str
    renamed: bool = False  # the name's bytes were not UTF-8 (read as GB18030)


def file_kind(name: str) -> str | None:
    """"text", "html", "docx" or "pdf" for a file name we read, else None.

    A trailing "~" (an editor's backup, "page.htm~") does not change the type.

    >>> file_kind("a.SHTML"), file_kind("b.htm~"), file_kind("c.doc"), file_kind("README")
    ('html', 'html', None, 'text')
    """
    suffix = os.path.splitext(name.rstrip("~"))[1].lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in WEB_SUFFIXES:
        return "html"
    if suffix in LIBRARY_SUFFIXES:
        return suffix[1:]
    return None


def unsupported_detail(name: str) -> str:
    """The problem detail for a file whose type we do not read, with the hint to convert it."""
    suffix = os.path.splitext(name.rstrip("~"))[1].lower()
    if suffix in CONVERT_HINTS:
        return f"{suffix} is {CONVERT_HINTS[suffix]}"
    return (f"{suffix or 'this file type'} is not a document format urbanpolicy reads (text, web pages, .docx, "
            "PDF with a text layer); convert it to one of those or remove it")


def display_name(name: str) -> tuple[str, bool]:
    """The name as Unicode, and whether it had to be re-read from non-UTF-8 bytes.

    Python keeps undecodable bytes of a file name as lone surrogates; Chinese sites and
    Windows archives write names in GBK, so the bytes are read as GB18030.
    """
    try:
        name.encode("utf-8")
        return name, False
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        return raw.decode("gb18030", errors="replace"), True


def _type_name(mode: int) -> str:
    for test, label in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
                        (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return label
    return "not a regular file"


def _os_error(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop (the link points to itself or to a link back to it)"
    if exc.errno == errno.ENAMETOOLONG:
        return "path too long for the operating system (PATH_MAX)"
    if exc.errno == errno.ENOENT:
        return "broken symbolic link (its target does not exist)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return f"{exc.strerror or type(exc).__name__} (errno {exc.errno})"


def list_sources(source: str | Path | Iterable[str | Path], recursive: bool = True
                 ) -> tuple[list[SourceFile], list[dict]]:
    """Return (files to read, problem rows) for a folder, a file or a list of files.

    Raises FileNotFoundError naming the path when a given source does not exist; every
    entry inside a folder is either a file to read or a problem row (kind ``skipped``,
    ``unreadable``, ``unsupported_format``, ``empty_folder`` or ``file_name``).
    """
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        if not os.path.lexists(path):
            raise FileNotFoundError(f"no such file or folder: {path}")
        if _pseudo(path):
            return [], [_problem(path, "skipped", "a kernel pseudo file system (/proc, /sys, /dev), never read")]
        if os.path.isdir(path):
            files: list[SourceFile] = []
            problems: list[dict] = []
            _walk(path, "", recursive, files, problems)
            return files, problems
        return _given_files([path])
    return _given_files([os.fspath(p) for p in source])


def _given_files(paths: list[str]) -> tuple[list[SourceFile], list[dict]]:
    files, problems = [], []
    for path in paths:
        if not os.path.lexists(path):
            raise FileNotFoundError(f"no such file: {path}")
        _classify(path, path, "", os.path.basename(path), files, problems, recursive=False, top=True)
    return files, problems


def _pseudo(path: str) -> bool:
    real = os.path.realpath(path)
    return any(real == root or real.startswith(root + "/") for root in PSEUDO_ROOTS)


def _problem(name: str, kind: str, detail: str) -> dict:
    return {"name": name, "kind": kind, "detail": detail}


def _walk(folder: str, rel: str, recursive: bool, files: list[SourceFile], problems: list[dict]) -> None:
    """Add every entry of ``folder`` (relative name ``rel``) to files or problems, depth first, by name."""
    stack = [(folder, rel)]
    while stack:
        path, prefix = stack.pop()
        try:
            names = sorted(os.listdir(path), key=lambda n: display_name(n)[0])
        except OSError as exc:
            problems.append(_problem(prefix, "unreadable", f"folder cannot be listed: {_os_error(exc)}"))
            continue
        if not names and prefix:
            problems.append(_problem(prefix, "empty_folder", "folder holds no file"))
            continue
        subfolders = []
        for name in names:
            shown, renamed = display_name(name)
            rel_name = f"{prefix}/{shown}" if prefix else shown
            child = os.path.join(path, name)
            before = len(files)
            sub = _classify(child, rel_name, prefix, shown, files, problems, recursive)
            if renamed and len(files) > before:
                files[-1] = replace(files[-1], renamed=True)  # the loader reports it with the doc_id
            elif renamed:
                problems.append(_problem(rel_name, "file_name", FILE_NAME_DETAIL))
            if sub:
                subfolders.append((child, rel_name))
        stack.extend(reversed(subfolders))


def _classify(path: str, rel_name: str, folder: str, shown: str, files: list[SourceFile], problems: list[dict],
              recursive: bool, top: bool = False) -> bool:
    """File or problem row for one entry; True when it is a folder to walk into."""
    if shown.startswith(".") and not top:
        what = "folder" if os.path.isdir(path) and not os.path.islink(path) else "file"
        problems.append(_problem(rel_name, "skipped", f"hidden {what} (name starts with a dot)"))
        return False
    try:
        link = os.lstat(path)
        info = os.stat(path) if stat.S_ISLNK(link.st_mode) else link
    except OSError as exc:
        problems.append(_problem(rel_name, "unreadable", _os_error(exc)))
        return False
    if stat.S_ISDIR(info.st_mode):
        if stat.S_ISLNK(link.st_mode):
            problems.append(_problem(rel_name, "skipped", "symbolic link to a folder, not followed"))
            return False
        if not recursive:
            problems.append(_problem(rel_name, "skipped", "sub-folder (load_corpus(..., recursive=False))"))
            return False
        return True
    if not stat.S_ISREG(info.st_mode) or (stat.S_ISLNK(link.st_mode) and _pseudo(path)):
        what = "a link into a kernel pseudo file system" if stat.S_ISREG(info.st_mode) else _type_name(info.st_mode)
        problems.append(_problem(rel_name, "skipped", f"{what}, never read"))
        return False
    kind = file_kind(shown)
    if kind is None:
        problems.append(_problem(rel_name, "unsupported_format", unsupported_detail(shown)))
        return False
    files.append(SourceFile(path, rel_name, folder, kind))
    return False


def document_ids(files: list[SourceFile], as_path: bool) -> list[str]:
    """Stable, unique doc_ids that never depend on file contents or on where a folder lives.

    In a folder (``as_path``): the relative path without its extension ("湖北/plan"); two
    files that would share an id ("notice.txt", "notice.html") keep their extension.  For
    files given one by one: the file's stem; two with the same stem are named by the path
    as given, without its extension.  Any id still taken gets "#2", "#3" ….

    >>> fs = [SourceFile("", n, "", "text") for n in ("a/x.txt", "a/x.html", "b/y.txt")]
    >>> document_ids(fs, True)
    ['a/x.txt', 'a/x.html', 'b/y']
    >>> document_ids([SourceFile("", n, "", "text") for n in ("d1/x.txt", "d2/x.txt")], False)
    ['d1/x', 'd2/x']
    """
    def without_suffix(name: str) -> str:
        head, _, tail = name.rstrip("~").rpartition("/")
        stem = os.path.splitext(tail)[0] or tail
        return f"{head}/{stem}" if head else stem

    if as_path:
        first = [without_suffix(f.name) for f in files]
        fallback = [f.name for f in files]
    else:
        first = [without_suffix(os.path.basename(f.name)) for f in files]
        fallback = [without_suffix(Path(f.name).as_posix()) for f in files]
    counts: dict[str, int] = {}
    for i in first:
        counts[i] = counts.get(i, 0) + 1
    ids = [i if counts[i] == 1 else other for i, other in zip(first, fallback, strict=True)]
    seen: dict[str, int] = {}
    unique = []
    for i in ids:
        n = seen.get(i, 0) + 1
        seen[i] = n
        unique.append(i if n == 1 else f"{i}#{n}")
    return unique
