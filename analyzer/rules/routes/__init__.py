"""LE704, LE705: routes the balancer swallows, and an app that does not answer the health check.

Both read the app's routes statically (analyzer/model/routes.py): Flask, Django, FastAPI, Starlette,
bottle and tornado routes written out in code, under the prefixes of blueprints, routers and mounts.
LE705 speaks only when every route source in the files the platform runs could be read; LE704 reports
each route whose whole path is known."""
