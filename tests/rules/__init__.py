"""Data-integrity tests of ``urbanpolicy.rules``: word lists, the gazetteer."""
