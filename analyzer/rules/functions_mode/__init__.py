"""LE305: `functionsMode: strict` without the SDK wired in.

With `functionsMode: strict` in leanengine.yaml the platform checks at startup that the LeanCloud SDK
answers, and aborts the deploy otherwise: `leancloud` must be installed and the WSGI callable served
must be a `leancloud.Engine` or wrapped by one. The served callable is followed through assignments
and imports of project modules (analyzer/model/bindings.py) and judged three ways: an Engine, provably not
one (a Flask or Django app, a plain function), or unknown; only "provably not" is reported."""
