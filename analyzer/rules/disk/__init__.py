"""LE501-LE503: the container's disk: writes outside the write roots, SQLite files, log files.

Every deploy (and some reschedules) gives the app a new container whose local disk starts empty;
`/home/leanengine/tmp` is the place for temporary files, and only stdout / stderr reach the logs.
These rules ask the shared resolver (analyzer/model/resolver.py) what a path, a mode or a URL is, and report
only what it proves: an unknown path, mode or URL is never reported, nor a value that is fine on one
branch. Code in a branch chosen by the environment (`if DEBUG:`, `if os.environ.get(...)`) is left
alone too: which branch runs on the platform is not known."""
