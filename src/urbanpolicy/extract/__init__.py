"""Stage 2: facts from one clean text, each with start/end offsets (metadata, structure, agencies, dates, citations, targets)."""
