"""File formats read into documents with positions, and no platform facts: Python sources,
YAML, the `run:` line as a shell splits it, ignore files, suppression comments, lean-lint's config."""
