"""LE103-LE104: wsgi.py's module-level `application`, the callable the platform serves.

Without `run:` in leanengine.yaml, the platform imports wsgi.py and serves its global `application`.
Both rules read the path analysis of analyzer/model/bindings.py: LE103 when no path through wsgi.py binds
`application` (or it is imported from a project module that lacks it), LE104 when only some paths do.
A module that can grow names no statement shows (`globals()`, `sys.modules`, a module `__getattr__`)
is left alone, and so is `application` bound by a function through `global` when wsgi.py calls it."""
