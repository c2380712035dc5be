"""urbanpolicy: Chinese urbanization policy documents as clean, traceable tables.

The public names below are re-exported lazily (module ``__getattr__``): ``import urbanpolicy``
loads no stage, and neither plotly nor scipy/scikit-learn until a name that needs them is used.
Stages, in the one direction their imports run: ``report`` → ``analysis`` → ``corpus`` →
``extract`` → ``ingest`` → ``rules``.

>>> import urbanpolicy as up
>>> corpus = up.load_corpus()          # doctest: +SKIP (the project's seeds/ by default)
>>> corpus.tasks.head()                # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "Corpus": "urbanpolicy.corpus",
    "load_corpus": "urbanpolicy.corpus",
    "default_source": "urbanpolicy.corpus",
    "run_cache": "urbanpolicy.cache",
    "validate_parameters": "urbanpolicy.report.params",
    "tasks_tree": "urbanpolicy.report.plots",
    "structure_summary": "urbanpolicy.analysis.structure",
    "horizons": "urbanpolicy.analysis.timeline",
    "deadlines": "urbanpolicy.analysis.timeline",
    "citation_graph": "urbanpolicy.analysis.timeline",
    "compare_targets": "urbanpolicy.analysis.targets",
    "workload": "urbanpolicy.analysis.workload",
    "agency_by_chapter": "urbanpolicy.analysis.workload",
    "co_responsibility": "urbanpolicy.analysis.workload",
    "unassigned_tasks": "urbanpolicy.analysis.workload",
    "align": "urbanpolicy.analysis.alignment",
    "coverage": "urbanpolicy.analysis.coverage",
    "reuse": "urbanpolicy.analysis.coverage",
    "highlight_reuse": "urbanpolicy.analysis.coverage",
    "default_reference": "urbanpolicy.analysis.coverage",
    "uncovered_tasks": "urbanpolicy.analysis.coverage",
    "best_pair": "urbanpolicy.analysis.coverage",
    "reuse_view": "urbanpolicy.analysis.coverage",
    "instruments": "urbanpolicy.analysis.instruments",
    "instrument_mix": "urbanpolicy.analysis.instruments",
    "codebook_table": "urbanpolicy.analysis.instruments",
    "most_tasks_document": "urbanpolicy.analysis.instruments",
    "co_issuing": "urbanpolicy.analysis.networks",
    "co_issuing_nodes": "urbanpolicy.analysis.networks",
    "co_issuing_graph": "urbanpolicy.analysis.networks",
    "write_co_issuing": "urbanpolicy.analysis.networks",
    "dyads": "urbanpolicy.analysis.dyads",
    "citations": "urbanpolicy.analysis.citations",
    "missing_citations": "urbanpolicy.analysis.citations",
    "sample_for_review": "urbanpolicy.analysis.reliability",
    "review_report": "urbanpolicy.analysis.reliability",
    "coverage_summary": "urbanpolicy.analysis.coverage",
    "reference_warnings": "urbanpolicy.analysis.coverage",
}

__all__ = [  # the same names as _EXPORTS (a test checks), spelled out for linters and readers
    "Corpus", "load_corpus", "default_source", "run_cache", "validate_parameters", "tasks_tree",
    "structure_summary", "horizons", "deadlines", "citation_graph", "compare_targets",
    "workload", "agency_by_chapter", "co_responsibility", "unassigned_tasks", "align", "coverage", "reuse",
    "highlight_reuse", "default_reference", "uncovered_tasks", "best_pair", "reuse_view", "coverage_summary",
    "reference_warnings", "__version__",
    "instruments", "instrument_mix", "codebook_table", "most_tasks_document", "co_issuing", "co_issuing_nodes", "co_issuing_graph",
    "write_co_issuing", "dyads", "citations", "missing_citations", "sample_for_review", "review_report",
]

if TYPE_CHECKING:  # for type checkers and IDEs only; at run time names load on first use
    from urbanpolicy.analysis.alignment import align
    from urbanpolicy.analysis.citations import citations, missing_citations
    from urbanpolicy.analysis.coverage import (
        best_pair,
        coverage,
        coverage_summary,
        default_reference,
        highlight_reuse,
        reference_warnings,
        reuse,
        reuse_view,
        uncovered_tasks,
    )
    from urbanpolicy.analysis.dyads import dyads
    from urbanpolicy.analysis.instruments import (
        codebook_table,
        instrument_mix,
        instruments,
        most_tasks_document,
    )
    from urbanpolicy.analysis.networks import co_issuing, co_issuing_graph, co_issuing_nodes, write_co_issuing
    from urbanpolicy.analysis.reliability import review_report, sample_for_review
    from urbanpolicy.analysis.structure import structure_summary
    from urbanpolicy.analysis.targets import compare_targets
    from urbanpolicy.analysis.timeline import citation_graph, deadlines, horizons
    from urbanpolicy.analysis.workload import agency_by_chapter, co_responsibility, unassigned_tasks, workload
    from urbanpolicy.cache import run_cache
    from urbanpolicy.corpus import Corpus, default_source, load_corpus
    from urbanpolicy.report.params import validate_parameters
    from urbanpolicy.report.plots import tasks_tree


def __getattr__(name: str) -> Any:
    """Import the module defining ``name`` on first use and return the name."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'urbanpolicy' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
