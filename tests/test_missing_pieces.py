"""What an installation without seeds/ or without notebooks says, instead of doing nothing."""

from __future__ import annotations

import pytest

from urbanpolicy import corpus, settings
from urbanpolicy.report import runner


def test_no_documents_anywhere_is_an_error_naming_what_to_pass(tmp_path, monkeypatch):
    monkeypatch.delenv(settings.SEEDS_ENV, raising=False)
    monkeypatch.setattr(corpus, "project_root", lambda: tmp_path)  # an install: no seeds/ beside it
    with pytest.raises(FileNotFoundError, match=settings.SEEDS_ENV):
        corpus.load_corpus()


def test_the_environment_variable_names_the_default_folder(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("关于推进新型城镇化的通知\n一、总体要求\n", encoding="utf-8")
    monkeypatch.setenv(settings.SEEDS_ENV, str(tmp_path))
    assert list(corpus.load_corpus().documents["doc_id"]) == ["a"]


def test_no_notebooks_is_an_error_not_an_empty_run(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "notebooks_dir", lambda: tmp_path)
    with pytest.raises(FileNotFoundError, match="no analysis notebooks"):
        runner.run_notebooks(out=tmp_path / "out", progress=False)


def test_the_notebooks_are_found_as_package_data():
    assert {"01", "02", "03", "04"} <= {p.stem[:2] for p in runner.available_notebooks()}
