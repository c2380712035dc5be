"""Stage 2: facts from one clean text, each with start/end offsets (metadata, structure, agencies, dates, citations, targets).

Each stage has one public entry point, the function ``load_corpus`` calls for every document
(in this order; tests call the same functions).  They return plain row dicts; the loader builds
each table from them with ``urbanpolicy.schema.frame(table, rows)``, and so can a caller:

- ``metadata.extract_metadata(text, front_matter, removed_lines)`` → ``DocumentMetadata``
- ``structure.structure_rows(doc_id, text)`` → (sections, tasks, problems); the loader turns the
  task rows into ``structure.TaskSpans.from_rows(tasks)`` for the stages below
- ``dates.date_rows(doc_id, text, spans, doc_year, issued)`` → rows
- ``citations.reference_rows(doc_id, text, own_number, own_title)`` → (rows, problems)
- ``targets.target_rows(doc_id, text, spans, issued_year, dates)`` → (rows, problems)
- ``agencies.assignment_rows(doc_id, text, spans, region, level)`` → (rows, problems)
- ``directive.add_directives(text, tasks, agency_spans)`` fills the tasks' directive columns;
  ``issuers.issuer_fields(...)`` the documents' issuer columns; ``task_kinds`` and
  ``short_names`` run once on the assembled tables.
"""
