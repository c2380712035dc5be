"""Tests of ``urbanpolicy.analysis``: workload, timeline, targets, alignment, coverage, research methods."""
