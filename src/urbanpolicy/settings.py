"""Settings in one place: paths, windows and thresholds the stages share, with their defaults.

Plain module constants (no state, nothing read at import time); a stage imports what it uses,
and the public names the stages had before (``coverage.DEFAULT_THRESHOLD``,
``runner.EXECUTION_TIMEOUT`` …) are these values.  Lowest layer of the package, with
``rules/``: every stage may import it.  To change a default for one call, pass the argument
the function offers (``coverage(…, threshold=0.1)``, ``load_corpus(source)``); to change it
for the project, change it here.

=========================  ======================  ==============================================
name                       default                 meaning
=========================  ======================  ==============================================
``SEEDS_ENV``              ``URBANPOLICY_SEEDS``   environment variable naming the default folder
                                                   of documents (else the checkout's ``seeds/``)
``CACHE_ENV``              ``URBANPOLICY_CACHE``   environment variable naming the parsed-table
                                                   cache of an ``urbanpolicy run`` (set by the
                                                   runner for its kernels only)
``CACHE_DIR_ENV``          ``URBANPOLICY_CACHE_   environment variable naming the folder of the
                           DIR``                   parse cache (else ``$XDG_CACHE_HOME/urbanpolicy``
                                                   or ``~/.cache/urbanpolicy``; see ``cache``)
``OUTPUT_DIR``             ``outputs``             where ``urbanpolicy run`` writes reports
``YEAR_MIN``, ``YEAR_MAX`` 1900, 2100              a year outside this window is not a policy date
                                                   or a target year (also keeps every Timestamp in
                                                   pandas' nanosecond range)
``COVERAGE_THRESHOLD``     0.08                    similarity from which a reference task counts as
                                                   covered by a document (``analysis.coverage``)
``ALIGN_METHOD``           ``sentences``           default task-similarity method (``sentences``,
                                                   ``char``, ``jieba``, ``combined``)
``EXECUTION_TIMEOUT``      600                     seconds a notebook cell may run before the run
                                                   reports it failed
=========================  ======================  ==============================================
"""

from __future__ import annotations

SEEDS_ENV = "URBANPOLICY_SEEDS"
CACHE_ENV = "URBANPOLICY_CACHE"
CACHE_DIR_ENV = "URBANPOLICY_CACHE_DIR"
OUTPUT_DIR = "outputs"

YEAR_MIN = 1900
YEAR_MAX = 2100

COVERAGE_THRESHOLD = 0.08
ALIGN_METHOD = "sentences"

EXECUTION_TIMEOUT = 600
