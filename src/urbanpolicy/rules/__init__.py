"""Package data: vocabularies and registers kept apart from the engine (agency register, gazetteer, jieba user dictionary)."""
