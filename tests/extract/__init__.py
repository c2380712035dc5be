"""Tests of ``urbanpolicy.extract``: metadata, structure, agencies, dates, citations, targets, real-world forms."""
