"""LE405: a module the running code imports that nothing installs or uploads.

The platform builds the app with `pip install -r requirements.txt` and then imports it; a module that
no requirement installs passes the build and stops the app at startup with ModuleNotFoundError, and
so does a project module that `.leanignore` keeps from being uploaded. Import names are mapped to
distributions by analyzer/platform/distributions.py (a curated table, PEP 503 names, and shipped data
read out of popular distributions' wheels: what each installs and requires), never by what is
installed where lean-lint runs."""
