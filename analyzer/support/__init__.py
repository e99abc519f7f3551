"""Standard-library-only helpers importable from every layer: the safe tree walk, the cache folder,
the big-stack runner, text edits, name normalization."""
