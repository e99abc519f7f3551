"""Cloud Engine's facts as data, each defined once and citing its source
(../shared/platform/REFERENCE.md): paths, environment variables, the SDK's classes, the
leanengine.yaml schema, import names of distributions."""
