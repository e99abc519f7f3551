"""LE706-LE708 (analyzer/rules/environment/): the issue6b fixture projects, LE706's fix, the
suggestions, the values of LEANCLOUD_APP_ENV and the API hosts."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.cli.main import main
from analyzer.rules.environment._environment import api_hosts, meant, suggest
from tests.helpers import located, run, write_project

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SELECT = ("LE706", "LE707", "LE708")


def findings(root: Path) -> list[str]:
    return [f"{f.path}:{f.line}:{f.column}: {f.code}" for f in run(root, select=SELECT).active]


@pytest.mark.parametrize(
    "name,expected",
    [
        # 'dev' (but not the read's own default 'local'), LEANCLOUD_GROUP, api.leancloud.cn, 'staging';
        # tools/seed.py is not run by the platform: its variable and host are not reported
        ("issue6b_flask", ["app.py:16:17: LE707", "app.py:18:24: LE706", "app.py:53:27: LE708", "app.py:57:11: LE707"]),
        # the default of LEANCLOUD_API_SERVER never applies on the platform: quiet
        ("issue6b_django", ["mysite/settings.py:10:25: LE707", "mysite/settings.py:30:33: LE706", "polls/views.py:32:27: LE708"]),
        # LEANCLOUD_APP_INSTANCE (set by older platforms) is not reported
        ("issue6b_tornado", ["app.py:11:80: LE707", "config.py:5:11: LE708"]),
        ("issue6b_fastapi", ["main.py:11:33: LE707", "main.py:13:23: LE706", "main.py:38:34: LE708"]),
    ],
)
def test_fixtures(name, expected):
    assert findings(FIXTURES / name) == expected


# -- LE706 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,expected",
    [
        ("LEANCLOUD_APPID", "LEANCLOUD_APP_ID"),
        ("LEANCLOUD_APP_PORTS", "LEANCLOUD_APP_PORT"),
        ("LEANCLOUD_APP_PROT", "LEANCLOUD_APP_PORT"),
        ("LEANCLOUD_MASTER_KEY", "LEANCLOUD_APP_MASTER_KEY"),
        ("LEANCLOUD_HOOK_KEY", "LEANCLOUD_APP_HOOK_KEY"),
        ("LEANCLOUD_ENV", "LEANCLOUD_APP_ENV"),
        ("LEANCLOUD_GROUP", "LEANCLOUD_APP_GROUP"),
        ("LEANCLOUD_APIServer", "LEANCLOUD_API_SERVER"),
        ("leancloud_app_key", "LEANCLOUD_APP_KEY"),
        ("LEANCLOUD_SECRET", None),
        ("LEANCLOUD_TEST_APP_KEY", None),
        ("LEANCLOUD", None),
    ],
)
def test_suggest(name, expected):
    assert suggest(name) == expected


def cli(capsys, *args):
    code = main([str(a) for a in args])
    capsys.readouterr()
    return code


def test_fix_keeps_quotes_and_prefix_and_is_idempotent(tmp_path, capsys):
    source = (
        "import os\n"
        "application = None\n"
        'PORT = int(os.environ.get("LEANCLOUD_APP_PORTS", 3000))  # the port\n'
        "ID = os.environ[r'LEANCLOUD_APPID']\n"
        "SECRET = os.environ.get('LEANCLOUD_SECRET')\n"
    )
    write_project(tmp_path, {"wsgi.py": source})
    cli(capsys, tmp_path, "--select", "LE706", "--fix")
    fixed = (tmp_path / "wsgi.py").read_text()
    assert fixed == (
        "import os\n"
        "application = None\n"
        'PORT = int(os.environ.get("LEANCLOUD_APP_PORT", 3000))  # the port\n'
        "ID = os.environ[r'LEANCLOUD_APP_ID']\n"
        "SECRET = os.environ.get('LEANCLOUD_SECRET')\n"  # no clear intent: no fix
    )
    cli(capsys, tmp_path, "--select", "LE706", "--fix")
    assert (tmp_path / "wsgi.py").read_text() == fixed
    assert located(run(tmp_path, select=("LE706",))) == ["wsgi.py:5:25"]


def test_no_fix_for_strings_with_escapes_or_concatenation(tmp_path):
    write_project(
        tmp_path,
        {"wsgi.py": "import os\napplication = None\na = os.getenv('LEANCLOUD_\\x41PPID')\nb = os.getenv('LEANCLOUD_' 'APPID')\n"},
    )
    report = run(tmp_path, select=("LE706",))
    assert [(f.line, f.fix) for f in report.active] == [(3, None), (4, None)]


def test_a_fix_never_touches_a_file_it_cannot_parse(tmp_path, capsys):
    broken = "import os\nx = os.environ['LEANCLOUD_APPID']\ndef f(:\n"
    write_project(tmp_path, {"wsgi.py": broken})
    cli(capsys, tmp_path, "--select", "LE706", "--fix")
    assert (tmp_path / "wsgi.py").read_text() == broken


def test_case_only_message(tmp_path):
    write_project(tmp_path, {"wsgi.py": "import os\napplication = None\nk = os.getenv('leancloud_app_key')\n"})
    (finding,) = run(tmp_path, select=("LE706",)).active
    assert finding.message.endswith("the variable is LEANCLOUD_APP_KEY (names are case-sensitive)")
    assert finding.hint == "Use LEANCLOUD_APP_KEY."


def test_no_suggestion_lists_the_variables(tmp_path):
    write_project(tmp_path, {"wsgi.py": "import os\napplication = None\nk = os.getenv('LEANCLOUD_SECRET')\n"})
    (finding,) = run(tmp_path, select=("LE706",)).active
    assert "it sets LEANCLOUD_API_SERVER, LEANCLOUD_APP_ENV, " in finding.message
    assert finding.fix is None


# -- LE707 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,expected",
    [
        ("staging", "stage"), ("prod", "production"), ("dev", "development"), ("Production", "production"),
        ("productoin", "production"), ("local", "development"), ("test", None), ("qa", None),
    ],
)
def test_meant(value, expected):
    assert meant(value) == expected


def test_case_methods(tmp_path):
    write_project(
        tmp_path,
        {
            "wsgi.py": "import os\napplication = None\nENV = os.environ.get('LEANCLOUD_APP_ENV', '')\n"
            "a = ENV.upper() == 'PROD'\nb = ENV.upper() == 'PRODUCTION'\nc = ENV.strip().lower() == 'stage'\n"
            "d = ENV.lower() == 'Stage'\n"
        },
    )
    report = run(tmp_path, select=("LE707",))
    assert [(f.line, f.column, f.hint) for f in report.active] == [(4, 20, "Use 'PRODUCTION'."), (7, 20, "Use 'stage'.")]


def test_constant_compared_through_names(tmp_path):
    write_project(
        tmp_path,
        {"wsgi.py": "import os\napplication = None\nSTAGING = 'staging'\nif os.environ['LEANCLOUD_APP_ENV'] == STAGING:\n    pass\n"},
    )
    assert located(run(tmp_path, select=("LE707",))) == []  # only literals are judged, where the fix is written


def test_not_in_and_lists(tmp_path):
    write_project(
        tmp_path,
        {"wsgi.py": "import os\napplication = None\nx = os.getenv('LEANCLOUD_APP_ENV') not in ['prd', 'stage', 'dev']\n"},
    )
    assert located(run(tmp_path, select=("LE707",))) == ["wsgi.py:3:44", "wsgi.py:3:60"]


# -- LE708 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("https://api.leancloud.cn/1.1/classes/Todo", ["api.leancloud.cn"]),
        ("us-api.leancloud.cn", ["us-api.leancloud.cn"]),
        ("https://e1-api.leancloud.cn", ["e1-api.leancloud.cn"]),
        ("https://abcd1234.api.lncld.net/1.1/date", ["abcd1234.api.lncld.net"]),
        ("https://abcd1234.engine.lncld.net", ["abcd1234.engine.lncld.net"]),
        ("abcd1234.api.lncldapi.com", ["abcd1234.api.lncldapi.com"]),
        ("https://abcd1234.api.lncldglobal.com", ["abcd1234.api.lncldglobal.com"]),
        ("https://abcd1234.lc-cn-n1-shared.com/1.1", ["abcd1234.lc-cn-n1-shared.com"]),
        (".api.lncld.net", [".api.lncld.net"]),
        ("https://api.avoscloud.com/1.1", ["api.avoscloud.com"]),
        ("https://cn-n1-console-api.leancloud.cn", []),  # the console's API
        ("https://app-router.leancloud.cn/1/route", []),
        ("https://myapp.leanapp.cn", []),
        ("https://lc-abc.cn-n1.lcfile.com/x.png", []),
        ("lncld.net", []),
        ("https://api.leancloud.cn.example.com", []),
        ("https://notapi.leancloud.cn", []),
    ],
)
def test_api_hosts(text, expected):
    assert api_hosts(text) == expected


def test_hosts_compared_in_tuples_and_startswith(tmp_path):
    write_project(
        tmp_path,
        {"wsgi.py": "application = None\ndef f(url, host):\n"
         "    return host in ('api.leancloud.cn', 'us-api.leancloud.cn') or url.startswith(('https://api.leancloud.cn',))\n"},
    )
    assert located(run(tmp_path, select=("LE708",))) == []
