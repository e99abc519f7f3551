"""LE101, LE102, LE105: the files that make the platform see, start and install a Python project.

The platform (lean-cli's detection, `runtimes/runtime.go`) takes a project for Python when its build
root holds both `wsgi.py` and `requirements.txt`, checks for Node.js first, starts the app by importing
`application` from wsgi.py unless leanengine.yaml has `run:`, and installs with
`pip install -r requirements.txt`. A missing file has no line to point at, so these findings point at
line 1 of the file that should have named it: leanengine.yaml when there is one, else the other file of
the pair, else the missing file's own path."""
