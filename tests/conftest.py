"""Shared fixtures: the seeds folder and the corpus loaded from it once per session."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import urbanpolicy as up

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

HUBEI = "000_d903ec7be93ef826"
HUNAN = "001_217c44fc42c73619"
NATIONAL_PLAN = "002_03000616a6599640"
STATE_COUNCIL = "003_2fc009443ab8d0a2"
QINGYANG = "004_60968686e36c0458"


@pytest.fixture(scope="session")
def corpus() -> up.Corpus:
    return up.load_corpus(SEEDS)


@pytest.fixture(scope="session")
def docs(corpus):
    return corpus.documents.set_index("doc_id")


def seed_text(doc_id: str) -> str:
    """The raw seed file as UTF-8 text."""
    return (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")


REALWORLD_FIXTURES = ROOT / "tests" / "fixtures" / "realworld"


def equivalence_texts(hostile: dict[str, str]) -> dict[str, str]:
    """The texts a fast path is compared on with its reference: the clean texts of the seeds and
    the realworld excerpts, the seeds mutated as the fuzz test does, and ``hostile`` forms under a
    chapter heading, by name."""
    from urbanpolicy.ingest.cleaning import clean_text

    from .test_fuzz import _mutations  # here, not at the top: test_fuzz imports this module

    texts = {p.name: clean_text(p.read_text(encoding="utf-8")).text
             for folder in (SEEDS, REALWORLD_FIXTURES) for p in sorted(folder.glob("*.txt"))}
    for n, name in enumerate(sorted(texts)[:5]):  # the seeds sort first
        for m, variant in enumerate(_mutations(texts[name], random.Random(n))):
            texts[f"{name}_m{m}"] = variant
    return texts | {f"hostile_{k}": "一、总体要求\n" + v for k, v in hostile.items()}


def pytest_collection_modifyitems(config, items):
    """A test that needs every notebook executed (the ``overview_run`` fixture) is slow, marked or not."""
    for item in items:
        if "overview_run" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def private_parse_cache(tmp_path_factory):
    """Runs started by the tests keep their parse cache in a temporary folder, not in ~/.cache."""
    import os

    from urbanpolicy.settings import CACHE_DIR_ENV

    previous = os.environ.get(CACHE_DIR_ENV)
    os.environ[CACHE_DIR_ENV] = str(tmp_path_factory.mktemp("parse-cache"))
    yield
    if previous is None:
        os.environ.pop(CACHE_DIR_ENV, None)
    else:
        os.environ[CACHE_DIR_ENV] = previous
