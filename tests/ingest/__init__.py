"""Tests of ``urbanpolicy.ingest``: listing, reading (encodings), web pages, cleaning, near-duplicates."""
