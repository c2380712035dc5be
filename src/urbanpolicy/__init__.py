"""urbanpolicy: Chinese urbanization policy documents as clean, traceable tables.

>>> import urbanpolicy as up           # doctest: +SKIP
>>> corpus = up.load_corpus()          # the project's seeds/ by default
>>> corpus.tasks.head()
"""

from .alignment import align
from .cache import run_cache
from .corpus import Corpus, default_source, load_corpus
from .coverage import (
           best_pair,
           coverage,
           default_reference,
           highlight_reuse,
           reuse,
           reuse_view,
           uncovered_tasks,
)
from .horizons import citation_graph, deadlines, horizons
from .params import validate_parameters
from .plots import tasks_tree
from .structure import structure_summary
from .targets import compare_targets
from .workload import agency_by_chapter, co_responsibility, unassigned_tasks, workload

__version__ = "0.1.0"
__all__ = ["Corpus", "load_corpus", "default_source", "validate_parameters", "tasks_tree",
           "structure_summary", "run_cache", "horizons", "deadlines", "citation_graph", "compare_targets",
           "workload", "agency_by_chapter", "co_responsibility", "unassigned_tasks", "align", "coverage", "reuse",
           "highlight_reuse", "default_reference", "uncovered_tasks", "best_pair", "reuse_view", "__version__"]
