"""Stage 1: bytes to clean text (decoding, cleaning)."""
