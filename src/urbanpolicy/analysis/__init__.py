"""Stage 3: functions that take a Corpus and return DataFrames (workload, timeline, targets, alignment, coverage)."""
