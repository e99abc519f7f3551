import os
import sys

# `python -m analyzer` puts the current directory first on sys.path. Run from inside the project it
# analyzes, a project file named like a module lean-lint imports (argparse.py, yaml.py, ast.py...)
# would be imported, that is executed, instead: drop that entry before importing anything else.
# (`os` and `sys` are loaded by the interpreter itself before sys.path is consulted.)
if not getattr(sys.flags, "safe_path", False) and sys.path:
    try:
        if os.path.realpath(sys.path[0] or os.curdir) == os.path.realpath(os.getcwd()):
            del sys.path[0]
    except (OSError, ValueError):
        pass

from analyzer.cli.replay import main  # noqa: E402

sys.exit(main())
