"""Settings in one place: the windows and thresholds the stages share, with their defaults.

Plain module constants (no state, nothing read at import time); a stage imports what it
uses.  Lowest layer of the package with ``rules/``: every stage may import it.

============================  ==========  ==================================================
name                          default     meaning
============================  ==========  ==================================================
``YEAR_MIN``, ``YEAR_MAX``    1900, 2100  a year outside this window is not a policy date or a
                                          target year (also keeps every Timestamp in pandas'
                                          nanosecond range)
============================  ==========  ==================================================
"""

from __future__ import annotations

YEAR_MIN = 1900
YEAR_MAX = 2100
