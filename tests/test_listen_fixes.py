"""Before/after tests of the LE201-LE203 fixes: exact text, comments and odd formatting kept, CRLF
kept, idempotent, and the fixed project no longer reports LE201, LE202 or LE203."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from analyzer.cli.main import main
from analyzer.engine.run import analyze
from analyzer.engine.fixes import plan_fixes
from tests.helpers import write_project

CODES = ("LE201", "LE202", "LE203")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
READ = "int(os.environ.get('LEANCLOUD_APP_PORT', '3000'))"


def fix(root: Path, *extra: str) -> None:
    main([str(root), "--select", "LE2", "--fix", "--no-cache", *extra])


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def left(root: Path) -> list[str]:
    return [f"{f.path}:{f.line}:{f.column}: {f.code}" for f in analyze(root, select=CODES).active]


def assert_fixed(root: Path, files_after: dict[str, str | bytes], *extra: str) -> None:
    """--fix gives exactly `files_after`, a second --fix changes nothing, nothing is left to report."""
    fix(root, *extra)
    for rel, text in files_after.items():
        assert (root / rel).read_bytes() == (text.encode() if isinstance(text, str) else text), rel
    before = snapshot(root)
    fix(root, *extra)
    assert snapshot(root) == before
    assert left(root) == []


def assert_untouched(root: Path, *extra: str) -> dict[Path, bytes]:
    before = snapshot(root)
    fix(root, *extra)
    assert snapshot(root) == before
    return before


# -- Python code ------------------------------------------------------------------------------------


def test_examples_broken_module_level_run(tmp_path, capsys):
    root = tmp_path / "broken"
    shutil.copytree(EXAMPLES / "broken", root)
    everything_before = Counter((f.path, f.code) for f in analyze(root).active)
    original = (root / "wsgi.py").read_text()
    assert_fixed(
        root,
        {
            "wsgi.py": "import os\n"
            + original.replace(
                'app.run(host="127.0.0.1", port=5000)',
                'app.run(host="0.0.0.0", port=int(os.environ.get("LEANCLOUD_APP_PORT", "3000")))',
            )
        },
    )
    everything_after = Counter((f.path, f.code) for f in analyze(root).active)
    # No new finding of any rule: only the fixed ones are gone.
    assert everything_after == everything_before - Counter({("wsgi.py", "LE201"): 1, ("wsgi.py", "LE202"): 1})


def test_literal_host_and_port_in_one_pass_keeping_comments_and_crlf(tmp_path, capsys):
    source = (
        "#!/usr/bin/env python\r\n"
        "# -*- coding: utf-8 -*-\r\n"
        '"""The app."""\r\n'
        "from __future__ import annotations\r\n"
        "\r\n"
        "# web\r\n"
        "from flask import Flask\r\n"
        "app = Flask(__name__)\r\n"
        "app.run(host = 'localhost' ,port=8080)  # serve\r\n"
    )
    write_project(tmp_path, {"leanengine.yaml": "run: python app.py\n", "app.py": source.encode()})
    report = analyze(tmp_path, select=CODES)
    (plan,) = plan_fixes(tmp_path, report.active)
    assert sorted(f.code for f in plan.fixed) == ["LE201", "LE202"]  # the edits do not overlap
    assert_fixed(
        tmp_path,
        {
            "app.py": (
                "#!/usr/bin/env python\r\n"
                "# -*- coding: utf-8 -*-\r\n"
                '"""The app."""\r\n'
                "from __future__ import annotations\r\n"
                "\r\n"
                "# web\r\n"
                "import os\r\n"
                "from flask import Flask\r\n"
                "app = Flask(__name__)\r\n"
                f"app.run(host = '0.0.0.0' ,port={READ})  # serve\r\n"
            ).encode()
        },
    )


def test_default_host_and_port_become_keywords(tmp_path, capsys):
    source = (
        "import os\n"
        "from flask import Flask\n"
        "app = Flask(__name__)\n"
        "if __name__ == '__main__':\n"
        "    app.run(debug=True)  # local\n"
    )
    write_project(tmp_path, {"leanengine.yaml": "run: python app.py\n", "app.py": source})
    assert_fixed(
        tmp_path,
        {
            "app.py": (
                "import os\n"
                "from flask import Flask\n"
                "app = Flask(__name__)\n"
                "if __name__ == '__main__':\n"
                f"    app.run(debug=True, host='0.0.0.0', port={READ})  # local\n"
            )
        },
    )


def test_one_argument_a_line_gets_new_lines(tmp_path, capsys):
    source = (
        "from flask import Flask\n"
        "app = Flask(__name__)\n"
        "app.run(\n"
        "\tdebug=True,  # reloads\n"
        "\n"
        ")\n"
    )
    write_project(tmp_path, {"leanengine.yaml": "run: python app.py\n", "app.py": source})
    assert_fixed(
        tmp_path,
        {
            "app.py": (
                "import os\n"
                "from flask import Flask\n"
                "app = Flask(__name__)\n"
                "app.run(\n"
                "\tdebug=True,  # reloads\n"
                "\thost='0.0.0.0',\n"
                f"\tport={READ},\n"
                "\n"
                ")\n"
            )
        },
    )


def test_empty_call_with_a_comment(tmp_path, capsys):
    source = "import uvicorn\nuvicorn.run (  # go\n)\n"
    write_project(tmp_path, {"leanengine.yaml": "run: python main.py\n", "main.py": source})
    assert_fixed(
        tmp_path,
        # LE203 (reported on leanengine.yaml) comes before LE201 (main.py): its keyword goes in first
        {"main.py": f"import os\nimport uvicorn\nuvicorn.run (port={READ}, host='0.0.0.0'  # go\n)\n"},
    )


def test_socket_tuple_keeps_the_module_quote_style(tmp_path, capsys):
    source = '"""Echo server."""\nimport socket\ns = socket.socket()\ns.bind(("localhost", 80))  # bind\ns.listen()\n'
    write_project(tmp_path, {"leanengine.yaml": "run: python server.py\n", "server.py": source})
    assert_fixed(
        tmp_path,
        {
            "server.py": (
                '"""Echo server."""\n'
                "import os\n"
                "import socket\n"
                "s = socket.socket()\n"
                's.bind(("0.0.0.0", int(os.environ.get("LEANCLOUD_APP_PORT", "3000"))))  # bind\n'
                "s.listen()\n"
            )
        },
    )


@pytest.mark.parametrize(
    "source,after",
    [
        # an existing `import os` (or `import os.path`) is used, not repeated
        (
            "import os.path\nfrom flask import Flask\napp = Flask(__name__)\napp.run('0.0.0.0', 3000)\n",
            f"import os.path\nfrom flask import Flask\napp = Flask(__name__)\napp.run('0.0.0.0', {READ})\n",
        ),
        # `host=None` / `port=None` mean the defaults
        (
            "import os\nfrom flask import Flask\napp = Flask(__name__)\napp.run(host=None, port=None)\n",
            f"import os\nfrom flask import Flask\napp = Flask(__name__)\napp.run(host='0.0.0.0', port={READ})\n",
        ),
        # bytes stay bytes; decorators keep their function
        (
            "@decorate\ndef f():\n    pass\nfrom flask import Flask\napp = Flask(__name__)\napp.run(b'127.0.0.1', 5000)\n",
            f"import os\n@decorate\ndef f():\n    pass\nfrom flask import Flask\napp = Flask(__name__)\napp.run(b'0.0.0.0', {READ})\n",
        ),
        # Tornado: the port comes first
        (
            "from tornado.httpserver import HTTPServer\nserver = HTTPServer(app)\nserver.bind(8888, address='127.0.0.1')\n",
            f"import os\nfrom tornado.httpserver import HTTPServer\nserver = HTTPServer(app)\nserver.bind({READ}, address='0.0.0.0')\n",
        ),
        # LE203: a server in a function that runs, a Sanic default port
        (
            "from sanic import Sanic\napp = Sanic('x')\ndef main():\n    app.run(host='0.0.0.0')\nif __name__ == '__main__':\n    main()\n",
            f"import os\nfrom sanic import Sanic\napp = Sanic('x')\ndef main():\n    app.run(host='0.0.0.0', port={READ})\nif __name__ == '__main__':\n    main()\n",
        ),
        (
            "from waitress import serve\nfrom app import application\nserve(application)\n",
            f"import os\nfrom waitress import serve\nfrom app import application\nserve(application, port={READ})\n",
        ),
        (
            "from flask import Flask\nfrom flask_socketio import SocketIO\napp = Flask(__name__)\nsio = SocketIO(app)\nsio.run(app)\n",
            "import os\nfrom flask import Flask\nfrom flask_socketio import SocketIO\napp = Flask(__name__)\nsio = SocketIO(app)\n"
            f"sio.run(app, host='0.0.0.0', port={READ})\n",
        ),
    ],
)
def test_code_fixes(tmp_path, capsys, source, after):
    write_project(tmp_path, {"leanengine.yaml": "run: python app.py\n", "app.py": source})
    assert_fixed(tmp_path, {"app.py": after})


def test_host_port_string_gets_its_host_only(tmp_path, capsys):
    source = "from waitress import serve\nserve(app, listen='127.0.0.1:8080')\n"
    write_project(tmp_path, {"leanengine.yaml": "run: python app.py\n", "app.py": source})
    fix(tmp_path)
    assert (tmp_path / "app.py").read_text() == "from waitress import serve\nserve(app, listen='0.0.0.0:8080')\n"
    (finding,) = analyze(tmp_path, select=CODES).active
    assert finding.code == "LE202" and finding.fix is None  # a port inside a string: rewrite by hand


@pytest.mark.parametrize(
    "source",
    [
        # `os` is something else here
        "from flask import Flask\napp = Flask(__name__)\nos = None\napp.run(host='0.0.0.0', port=5000)\n",
        "from flask import Flask\napp = Flask(__name__)\ndef main(os):\n    app.run(host='0.0.0.0', port=5000)\nmain(1)\n",
        # a tuple bound to a name: its literals may serve elsewhere
        "import socket\nADDR = ('127.0.0.1', 80)\ns = socket.socket()\ns.bind(ADDR)\n",
        # two servers: which one the platform talks to is not certain
        "from flask import Flask\nfrom http.server import HTTPServer\napp = Flask(__name__)\n"
        "metrics = HTTPServer(('127.0.0.1', 9100), H)\napp.run(port=5000)\n",
        # a port given as a string, a host from an environment variable's default
        "import os\nfrom flask import Flask\napp = Flask(__name__)\napp.run(os.environ.get('HOST', 'localhost'), '5000')\n",
        # the port maybe passed through **kwargs
        "from flask import Flask\napp = Flask(__name__)\nkw = {}\napp.run(host='0.0.0.0', **kw)\n",
    ],
)
def test_no_fix_when_not_certain(tmp_path, capsys, source):
    write_project(tmp_path, {"leanengine.yaml": "run: python app.py\n", "app.py": source})
    assert left(tmp_path)  # reported...
    assert_untouched(tmp_path)  # ...and left alone


def test_constants_defined_elsewhere_are_unsafe_fixes(tmp_path, capsys):
    source = "from flask import Flask\napp = Flask(__name__)\nHOST = '127.0.0.1'\nPORT = 5000\napp.run(HOST, PORT)\n"
    write_project(tmp_path, {"leanengine.yaml": "run: python app.py\n", "app.py": source})
    assert_untouched(tmp_path)
    assert_fixed(
        tmp_path,
        {"app.py": f"import os\nfrom flask import Flask\napp = Flask(__name__)\nHOST = '127.0.0.1'\nPORT = 5000\napp.run('0.0.0.0', {READ})\n"},
        "--unsafe-fixes",
    )


def test_wsgi_mode_server_is_not_fixed(tmp_path, capsys):
    write_project(
        tmp_path,
        {
            "wsgi.py": "from app import app\napplication = app\napp.run(host='127.0.0.1', port=3000)\n",
            "app.py": "import flask\napp = flask.Flask(__name__)\n",
        },
    )
    assert left(tmp_path) == ["wsgi.py:3:14: LE201"]
    assert_untouched(tmp_path)  # the fix is to move it under `if __name__ == '__main__':`


def test_a_file_with_a_syntax_error_is_not_touched(tmp_path, capsys):
    broken = "from flask import Flask\napp = Flask(__name__)\napp.run(host='127.0.0.1', port=5000\n"
    write_project(tmp_path, {"leanengine.yaml": "run: python app.py\n", "app.py": broken})
    assert_untouched(tmp_path)
    # beside a run: line that is fixed
    write_project(tmp_path, {"leanengine.yaml": "run: gunicorn app:app\n"})
    fix(tmp_path)
    assert (tmp_path / "app.py").read_text() == broken
    assert (tmp_path / "leanengine.yaml").read_text() == "run: gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} app:app\n"


# -- run: lines -------------------------------------------------------------------------------------

RUN_FIXES = [
    ("run: gunicorn app:app\n", "run: gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} app:app\n"),
    ("run: gunicorn -w 2 -b 127.0.0.1:8000 app:app\n", "run: gunicorn -w 2 -b 0.0.0.0:${LEANCLOUD_APP_PORT} app:app\n"),
    ("run: gunicorn -b 0.0.0.0 app:app\n", "run: gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} app:app\n"),
    ('run: gunicorn -b "0.0.0.0" app:app\n', 'run: gunicorn -b "0.0.0.0:${LEANCLOUD_APP_PORT}" app:app\n'),
    ("run: cd src && gunicorn app:app\n", "run: cd src && gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} app:app\n"),
    ("run: hypercorn main:app\n", "run: hypercorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} main:app\n"),
    (
        "# how the app starts\nrun: 'gunicorn -b localhost app:app'   # production\nstartupTimeout: 60\n",
        "# how the app starts\nrun: 'gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} app:app'   # production\nstartupTimeout: 60\n",
    ),
    ("run: uvicorn main:app\n", "run: uvicorn --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT} main:app\n"),
    ("run: python -m uvicorn main:app\n", "run: python -m uvicorn --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT} main:app\n"),
    ("run: uvicorn main:app --host localhost --port 8000\n", "run: uvicorn main:app --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT}\n"),
    ('run: "uvicorn main:app --host=127.0.0.1 --port=8000"\n', 'run: "uvicorn main:app --host=0.0.0.0 --port=${LEANCLOUD_APP_PORT}"\n'),
    ("run: flask run\n", "run: flask run --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT}\n"),
    ("run:   flask --app web run --host=0.0.0.0\n", "run:   flask --app web run --host=0.0.0.0 --port ${LEANCLOUD_APP_PORT}\n"),
    ("run: FLASK_RUN_HOST=localhost flask run -p 5000\n", "run: FLASK_RUN_HOST=0.0.0.0 flask run -p ${LEANCLOUD_APP_PORT}\n"),
    ("run: python manage.py runserver\n", "run: python manage.py runserver 0.0.0.0:${LEANCLOUD_APP_PORT}\n"),
    ("run: python manage.py runserver 8000\n", "run: python manage.py runserver 0.0.0.0:${LEANCLOUD_APP_PORT}\n"),
    ("run: 'python manage.py runserver ${LEANCLOUD_APP_PORT}'\n", "run: 'python manage.py runserver 0.0.0.0:${LEANCLOUD_APP_PORT}'\n"),
    (
        "run: python manage.py runserver 127.0.0.1:8000 --noreload\n",
        "run: python manage.py runserver 0.0.0.0:${LEANCLOUD_APP_PORT} --noreload\n",
    ),
    ("run: daphne mysite.asgi:application\n", "run: daphne -b 0.0.0.0 -p ${LEANCLOUD_APP_PORT} mysite.asgi:application\n"),
    ("run: waitress-serve wsgi:application\n", "run: waitress-serve --port=${LEANCLOUD_APP_PORT} wsgi:application\n"),
    (
        "run: waitress-serve --host 0.0.0.0 wsgi:application\n",
        "run: waitress-serve --host 0.0.0.0 --port=${LEANCLOUD_APP_PORT} wsgi:application\n",
    ),
    (
        "run: waitress-serve --listen=localhost:${LEANCLOUD_APP_PORT} wsgi:application\n",
        "run: waitress-serve --listen=0.0.0.0:${LEANCLOUD_APP_PORT} wsgi:application\n",
    ),
    ("run: uwsgi --http 127.0.0.1:3000 --module wsgi\n", "run: uwsgi --http 0.0.0.0:${LEANCLOUD_APP_PORT} --module wsgi\n"),
    ("run: python -m http.server 8000\n", "run: python -m http.server ${LEANCLOUD_APP_PORT}\n"),
    ("run: python -m http.server\n", "run: python -m http.server ${LEANCLOUD_APP_PORT}\n"),
    (
        b"startupTimeout: 60\r\nrun: gunicorn app:app # web\r\n",
        b"startupTimeout: 60\r\nrun: gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} app:app # web\r\n",
    ),
    (
        b"\xef\xbb\xbfrun: gunicorn -b 127.0.0.1:8000 app:app\r\n",
        b"\xef\xbb\xbfrun: gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} app:app\r\n",
    ),
]


@pytest.mark.parametrize("before,after", RUN_FIXES)
def test_run_line_fixes(tmp_path, capsys, before, after):
    write_project(tmp_path, {"leanengine.yaml": before, "app.py": "app = None\n"})
    assert left(tmp_path)
    assert_fixed(tmp_path, {"leanengine.yaml": after})
    expected = after.decode() if isinstance(after, bytes) else after
    new_run = yaml.safe_load(expected)["run"]
    assert "0.0.0.0" in new_run or "${LEANCLOUD_APP_PORT}" in new_run


@pytest.mark.parametrize(
    "before",
    [
        # `$` inside single quotes is not expanded by the shell
        "run: \"gunicorn -b '0.0.0.0:8000' app:app\"\n",
        "run: sh -c 'exec gunicorn -b 0.0.0.0:3000 app:app'\n",
        # a value whose columns are not the command's: a block scalar, escapes, a flow mapping
        "run: |\n  gunicorn app:app\n",
        'run: "gunicorn\\tapp:app"\n',
        "{run: gunicorn app:app}\n",
        # a variable's default: the user's variable would be dropped
        "run: gunicorn -b 0.0.0.0:${PORT:-8000} app:app\n",
        # Django's -6 wants an IPv6 address
        "run: python manage.py runserver -6\n",
        # uwsgi --socket speaks the uwsgi protocol: how to serve HTTP is the user's choice
        "run: uwsgi --socket :${LEANCLOUD_APP_PORT} --module wsgi\n",
    ],
)
def test_run_lines_not_fixed(tmp_path, capsys, before):
    write_project(tmp_path, {"leanengine.yaml": before, "app.py": "app = None\n"})
    assert left(tmp_path)
    assert_untouched(tmp_path)


def test_sh_c_host_is_fixed_but_not_its_quoted_port(tmp_path, capsys):
    write_project(tmp_path, {"leanengine.yaml": "run: sh -c 'cd src && exec gunicorn -b localhost:8000 app:app'\n"})
    fix(tmp_path)
    assert (tmp_path / "leanengine.yaml").read_text() == "run: sh -c 'cd src && exec gunicorn -b 0.0.0.0:8000 app:app'\n"
    assert left(tmp_path) == ["leanengine.yaml:1:48: LE202"]


def test_le203_fix_edits_the_program_not_the_run_line(tmp_path, capsys):
    source = "from flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run(host='0.0.0.0')\n"
    write_project(tmp_path, {"leanengine.yaml": "run: python app.py\n", "app.py": source})
    (finding,) = analyze(tmp_path, select=CODES).active
    assert (finding.code, finding.path) == ("LE203", "leanengine.yaml")
    assert finding.fix is not None and {e.path for e in finding.fix.edits} == {"app.py"}
    assert_fixed(
        tmp_path,
        {
            "leanengine.yaml": "run: python app.py\n",
            "app.py": f"import os\nfrom flask import Flask\napp = Flask(__name__)\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', port={READ})\n",
        },
    )
