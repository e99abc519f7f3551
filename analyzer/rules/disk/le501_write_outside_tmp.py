"""LE501 write-outside-tmp."""

from __future__ import annotations

import posixpath

import libcst as cst

from analyzer.model.resolver import argument, has_star_args
from analyzer.model.values import Prefix
from analyzer.rules.disk._disk import (
    _CREATES,
    _LOST,
    _OPEN_FUNCS,
    _PATH_METHODS,
    _SAVE_METHODS,
    _URL_SCHEME,
    _WRITE_FLAGS,
    _WRITE_FUNCS,
    _DiskRule,
    _is_file_mode,
    _is_writing_mode,
    _leaves_roots,
    _shown,
    _text,
    _unset_note,
)
from analyzer.types import Case, Severity


class WriteOutsideTmp(_DiskRule):
    code = "LE501"
    name = "write-outside-tmp"
    severity = Severity.WARNING
    summary = "A file is written outside the write roots (`/home/leanengine/tmp`), where it does not last."
    why = (
        "Each deploy, and some reschedules, start the app in a new container with a fresh local disk: a "
        "file written at runtime is gone after the next deploy, and instances, each in its own container, "
        "do not see each other's files. The "
        "Python runtime page names `/home/leanengine/tmp` (at most 1 GB) as the place for temporary "
        "files; the app's code lives in `/home/leanengine/app`, which is also where a relative path "
        "lands, since the app runs from there. Data that must last belongs in a database or object "
        "storage. lean-lint reports writes (`open()` with a writing mode, pathlib's `write_text` / "
        "`write_bytes` / `touch` / `mkdir`, `os.makedirs`, `os.rename`, `shutil.copy*` / `move` "
        "destinations, `.save(path)` of uploads and images, pandas `to_csv` and kin, numpy `save`) "
        "whose path it can work out and that is outside the write roots (config `write-roots`); "
        "`tempfile`, which picks its directory from `TMPDIR`, is left alone."
    )
    example = Case(
        {
            "wsgi.py": """
                from flask import Flask

                application = Flask(__name__)


                @application.route('/')
                def index():
                    with open('visits.log', 'a') as f:  # /home/leanengine/app/visits.log
                        f.write('visit\\n')
                    return 'ok'
                """,
        },
        ("wsgi.py:8:15",),
    )
    fix = (
        "Write temporary files under /home/leanengine/tmp, and keep lasting data in a database or object "
        "storage.\n"
        "```\n"
        "import os\n"
        "UPLOADS = '/home/leanengine/tmp/uploads'\n"
        "os.makedirs(UPLOADS, exist_ok=True)\n"
        "request.files['file'].save(os.path.join(UPLOADS, name))\n"
        "```\n"
        "If your platform gives you another writable place, add it to `write-roots` in lean-lint's config."
    )
    tags = ("python", "filesystem")
    keywords = (
        "open", "write_text", "write_bytes", "touch", "mkdir", "makedirs", "rename", "replace", "copy",
        "move", "save", "to_csv", "to_excel", "to_json", "to_parquet", "to_pickle", "to_feather",
        "to_hdf", "ExcelWriter", "urlretrieve", "dump", "ZipFile",
    )

    fires = (
        Case(
            {
                "wsgi.py": """
                    from flask import Flask, request
                    app = application = Flask(__name__)
                    class Report:
                        folder = 'reports'
                        def save(self, n):
                            with open(self.folder + '/report-{}.csv'.format(n), 'w') as f:
                                f.write('')
                    @app.route('/quotes/<int:n>')
                    def quotes(n):
                        with open('quotes-%s.html' % n, 'wb') as f:
                            f.write(b'')
                        Report().save(n)
                        return 'ok'
                """,
            },
            (
                "wsgi.py:6:19: open() writes to /home/leanengine/app/reports/report-..., outside /home/leanengine/tmp: lost on redeploy",
                "wsgi.py:10:15: open() writes to /home/leanengine/app/quotes-..., outside /home/leanengine/tmp: lost on redeploy",
            ),
            note="% and .format with unknown arguments; a class attribute read through self",
        ),
        Case(
            {"wsgi.py": "import app\napplication = app.app\n", "app.py": 'def visit():\n    with open("visits.txt", "a") as f:\n        f.write("x")\nvisit()\n'},
            (
                "app.py:2:15: open() writes to /home/leanengine/app/visits.txt, outside "
                "/home/leanengine/tmp: lost on redeploy",
            ),
        ),
        Case(
            {
                "wsgi.py": """
                    import os
                    from pathlib import Path
                    from shutil import copy as cp
                    BASE = Path(__file__).parent
                    application = None
                    os.makedirs(os.path.join(os.path.dirname(__file__), 'cache'), exist_ok=True)
                    (BASE / 'state.json').write_text('{}')
                    cp('/home/leanengine/tmp/a', '/data/a')
                    open('/home/leanengine/tmp/../x', mode='wb')
                    os.open('out.bin', os.O_WRONLY | os.O_CREAT)
                """
            },
            (
                "wsgi.py:6:13: os.makedirs() creates /home/leanengine/app/cache, outside "
                "/home/leanengine/tmp: lost on redeploy",
                "wsgi.py:7:1: .write_text() writes to /home/leanengine/app/state.json, outside "
                "/home/leanengine/tmp: lost on redeploy",
                "wsgi.py:8:30: shutil.copy() writes to /data/a, outside /home/leanengine/tmp: lost "
                "on redeploy",
                "wsgi.py:9:6: open() writes to /home/leanengine/x, outside /home/leanengine/tmp: "
                "lost on redeploy",
                "wsgi.py:10:9",
            ),
        ),
        Case(
            {
                "wsgi.py": """
                    import os
                    from flask import Flask, request
                    app = application = Flask(__name__)
                    @app.post('/upload')
                    def upload():
                        f = request.files['file']
                        f.save(os.path.join('uploads', f.filename))
                        return 'ok'
                    @app.get('/report')
                    def report(df):
                        df.to_csv('report.csv', index=False)
                        return 'ok'
                """
            },
            (
                "wsgi.py:7:12: .save() writes to /home/leanengine/app/uploads/..., outside "
                "/home/leanengine/tmp: lost on redeploy",
                "wsgi.py:11:15",
            ),
        ),
        Case(
            {"wsgi.py": "import os\napplication = None\nDIR = os.environ.get('DATA_DIR', '/data')\nos.makedirs(DIR)\n"},
            (
                "wsgi.py:4:13: os.makedirs() creates /data (the default while DATA_DIR is unset), "
                "outside /home/leanengine/tmp: lost on redeploy",
            ),
        ),
        Case(
            {"wsgi.py": "application = None\nopen('/srv/x', 'w')\nopen('/tmp/x', 'w')\n"},
            ("wsgi.py:2:6: open() writes to /srv/x, outside /home/leanengine/tmp, /tmp: lost on "
             "redeploy",),
            note="configured write roots",
            config={"write-roots": ["/home/leanengine/tmp", "/tmp"]},
        ),
    )
    near_misses = (
        Case(
            {
                "settings.py": """
                    import os
                    OFFLINE = os.environ.get('LEANCLOUD_APP_ENV') is None
                """,
                "wsgi.py": """
                    import settings
                    application = None
                    if settings.OFFLINE:
                        with open('notes.txt', 'w') as fh:
                            fh.write('x')
                """,
            },
            note='a local-only branch, decided by a condition of another module read as an attribute',
        ),
        Case(
            {
                "wsgi.py": """
                    import os
                    application = None
                    def export(rows):
                        with open('/home/leanengine/app/export.csv', 'w') as f:
                            f.writelines(rows)
                    if os.environ.get('LEANCLOUD_APP_ENV', 'development') == 'development':
                        open('debug.log', 'a').write('started')
                """,
            },
            note="a function nothing calls; a branch that runs only where LEANCLOUD_APP_ENV is development (the default holds only locally: the platform sets it)",
        ),
        Case({"wsgi.py": "application = None\ntext = open('templates/x.txt').read()\nb = open('x.bin', 'rb').read()\n"}, note="reads"),
        Case({"wsgi.py": "application = None\ndef f(mode, path):\n    open('x.txt', mode)\n    open(path, 'w')\n"}, note="unknown mode and path"),
        Case(
            {"wsgi.py": "import os\napplication = None\nos.makedirs('/home/leanengine/tmp/uploads', exist_ok=True)\n"
             "open('/home/leanengine/tmp', 'a')\nopen(os.path.expanduser('~/tmp/x'), 'w')\n"},
            note="inside the write root",
        ),
        Case({"wsgi.py": "application = None\nimport sys\np = '/home/leanengine/tmp/x' if sys.platform else 'local.txt'\nopen(p, 'w')\n"},
             note="outside on one branch only"),
        Case({"wsgi.py": "application = None\ndef f(name):\n    open(f'/home/leanengine/tmp{name}', 'w')\n    open(f'/home/leanengine/{name}', 'w')\n"},
             note="a prefix that may still reach the root"),
        Case({"wsgi.py": "import tempfile\napplication = None\nwith tempfile.NamedTemporaryFile('w') as f:\n    f.write('x')\n"
              "open('/dev/null', 'w')\n"}, note="tempfile, /dev/null"),
        Case(
            {"wsgi.py": "from flask import Flask\napp = application = Flask(__name__)\nif __name__ == '__main__':\n"
             "    open('dev.log', 'w')\n    app.run()\n"},
            note="a __main__ block that does not run under WSGI",
        ),
        Case({"wsgi.py": "application = None\ndef f(form, model, img, df):\n    form.save(commit=False)\n    model.save()\n"
              "    img.save(buffer, 'PNG')\n    df.to_csv()\n    df.to_csv('s3://bucket/x.csv')\n"
              "    storage.save('avatars/x.png', content)\n    text = 'abc'.replace('a', 'b')\n"},
             note="save() without a path, to a buffer, to storage; URLs; str.replace"),
        Case({"tools/export.py": "open('out.txt', 'w')\n", "wsgi.py": "application = None\n"}, note="not imported by the app"),
        Case({"wsgi.py": "import os\napplication = None\nif os.environ.get('DEBUG'):\n    open('debug.txt', 'w')\n"},
             note="a branch picked by the environment"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        found = self._write_target(node)
        if found is None:
            return
        api, target, report_at = found
        path = self.resolve_path(target)
        if not path.known or not all(_leaves_roots(o, self.roots) for o in path.options):
            return
        raw = self.resolve(target)
        if raw.any(lambda o: isinstance(o, (str, Prefix)) and bool(_URL_SCHEME.match(_text(o)))):
            return
        if self.in_environment_branch():
            return
        where = _shown(path)  # a relative path shown resolved, so where it lands is plain
        verb = "creates" if api in _CREATES else "writes to"
        roots = ", ".join(self.ctx.project.config.write_roots)
        self.report(
            report_at,
            f"{api}() {verb} {where}{_unset_note(path)}, outside {roots}: {_LOST}",
        )

    @property
    def roots(self) -> tuple[str, ...]:
        return tuple(posixpath.normpath(r) for r in self.ctx.project.config.write_roots)

    def _write_target(self, call: cst.Call) -> tuple[str, cst.BaseExpression, cst.CSTNode] | None:
        """(what writes, the path expression, the node to report at), or None when `call` is not a
        write lean-lint can see."""
        qual = self.qualified(call.func)
        if qual in _OPEN_FUNCS:
            (path_pos, path_kw), (mode_pos, mode_kw) = _OPEN_FUNCS[qual]
            target = argument(call, path_pos, path_kw)
            mode = argument(call, mode_pos, mode_kw)
            if target is None or mode is None or not self._writing_mode(mode):
                return None
            return ("open" if qual == "builtins.open" else qual), target, target
        if qual == "os.open":
            target, flags = argument(call, 0, "path"), argument(call, 1, "flags")
            if target is None or flags is None or not self._writing_flags(flags):
                return None
            return qual, target, target
        if qual in _WRITE_FUNCS:
            target = argument(call, *_WRITE_FUNCS[qual])
            return (qual, target, target) if target is not None else None
        if not isinstance(call.func, cst.Attribute) or (qual is not None and not self._project_object(qual)):
            return None  # another function, or a method of an imported library: not a write seen above
        method = call.func.attr.value
        receiver = call.func.value
        if method in _PATH_METHODS:
            return f".{method}", receiver, call
        if method == "open":
            mode = argument(call, 0, "mode")
            if mode is None or not self.resolve(mode).all(_is_file_mode):
                return None
            return ".open", receiver, call
        if method in _SAVE_METHODS:
            target = argument(call, 0, None)
            for kw in _SAVE_METHODS[method]:
                if target is None:
                    target = argument(call, None, kw)
            if target is None or has_star_args(call):
                return None
            if method == "save":
                # `img.save(path, 'PNG')` is PIL; `storage.save(name, content)` is Django's storage,
                # whose names are relative to MEDIA_ROOT, not to the working directory.
                second = argument(call, 1, None)
                if second is not None and not self.resolve(second).all(lambda o: isinstance(o, str)):
                    return None
            return f".{method}", target, target
        return None

    def _project_object(self, qual: str) -> bool:
        """`config.DATA_FILE.write_text`: a method of an object a project module defines (not of a
        module, not of a library)."""
        receiver = qual.rpartition(".")[0]
        project = self.ctx.project
        return project.module_file(receiver) is None and project.is_project_module(receiver.split(".")[0])

    def _writing_mode(self, mode: cst.BaseExpression) -> bool:
        return self.resolve(mode).all(_is_writing_mode)

    def _writing_flags(self, flags: cst.BaseExpression) -> bool:
        """`os.O_WRONLY | os.O_CREAT`: some flag asks for writing (the others only add)."""
        if isinstance(flags, cst.BinaryOperation) and isinstance(flags.operator, cst.BitOr):
            return self._writing_flags(flags.left) or self._writing_flags(flags.right)
        qual = self.ctx.resolver.qualified_name(flags)
        return qual is not None and qual.startswith("os.") and qual[3:] in _WRITE_FLAGS
