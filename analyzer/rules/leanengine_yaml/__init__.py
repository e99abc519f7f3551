"""LE301-LE304: leanengine.yaml itself (YAML, keys, value types, startupTimeout's range).

One pass over the file computes every finding of the four rules (memoized in `project.memo`), so
`--select LE302` sees exactly what a full run sees. Value checks validate against the shipped JSON
Schema (analyzer/platform/leanengine_schema.py), then turn each jsonschema error into a sentence at the YAML position of
the offending key or list item; checks the schema cannot express (the build root and `require` paths
exist, `phantomjs` is deprecated) follow."""
