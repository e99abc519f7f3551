"""LE701 (analyzer/rules/secrets/): keys in the issue6b fixture projects, then the corners:
what a key looks like, names that reach leancloud.init across modules, what messages show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer.cli.main import main
from analyzer.types import Severity
from analyzer.rules.secrets._secrets import APP_ID, APP_KEY, MASTER, looks_like_key, name_role, shown
from analyzer.rules.secrets.le701_hardcoded_leancloud_key import HardcodedLeancloudKey
from tests.helpers import located, run, write_project

FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: Made-up strings shaped like LeanCloud keys (24 letters and digits; an App ID with a region suffix).
KEY = "Tz5Rn8Wq2Lk7Xv4Mb9Pc6Hs3"
OTHER_KEY = "Vx8Kp2mQ9tLr4ZbN6wHc3JdY"
ID = "q3XvT9bLm2ZkR8wPd4NcH7sJ-gzGzoHsz"


def le701(root: Path) -> list[str]:
    return [f"{f.path}:{f.line}:{f.column}: {f.severity.label}" for f in run(root, select=("LE701",)).active]


@pytest.mark.parametrize(
    "name,expected",
    [
        # a default "for local runs" in wsgi.py; a seeding script the platform never runs still leaks
        ("issue6b_flask", ["tools/seed.py:7:16: warning", "tools/seed.py:7:64: error", "wsgi.py:10:57: error"]),
        ("issue6b_django", ["mysite/settings.py:29:57: error"]),
        # LC_SECRET says no key by its name: it is reported because it reaches leancloud.init
        ("issue6b_tornado", ["config.py:3:13: error"]),
        ("issue6b_fastapi", ["main.py:8:16: warning", "main.py:8:53: error"]),
    ],
)
def test_fixtures(name, expected):
    assert le701(FIXTURES / name) == expected


def test_messages_never_show_the_whole_key():
    for name in ("issue6b_flask", "issue6b_django", "issue6b_tornado", "issue6b_fastapi"):
        for finding in run(FIXTURES / name, select=("LE701",)).active:
            text = finding.message + finding.hint
            assert KEY[:5] not in text and OTHER_KEY[:5] not in text and ID[:5] not in text
            assert "'" + finding.message.split("'")[1] in text  # the shown prefix: 4 characters and …
            assert len(finding.message.split("'")[1]) == 5


def test_cross_module_message_names_the_use():
    report = run(FIXTURES / "issue6b_tornado", select=("LE701",))
    (finding,) = report.active
    assert "(assigned to LC_SECRET, which reaches leancloud.init() as master_key in app.py:9)" in finding.message
    assert finding.severity is Severity.ERROR


def test_a_named_key_reaching_init_from_another_module_is_reported_once(tmp_path):
    write_project(
        tmp_path,
        {
            "config.py": f"import leancloud\nMASTER_KEY = '{KEY}'\n",
            "wsgi.py": "import leancloud\nfrom config import MASTER_KEY\nleancloud.init('x', master_key=MASTER_KEY)\n"
            "application = None\n",
        },
    )
    report = run(tmp_path, select=("LE701",))
    assert located(report, "LE701", with_message=True) == [
        f"config.py:2:14: the LeanCloud Master Key {shown(KEY)} is written in the code (assigned to MASTER_KEY): "
        f"{MASTER.consequence}; read it from LEANCLOUD_APP_MASTER_KEY, which the platform sets; the key stays in the "
        "repository's history, so consider it leaked"
    ]


def test_same_module_name_reaching_init_says_where(tmp_path):
    write_project(
        tmp_path,
        {"wsgi.py": f"import leancloud\nK = '{OTHER_KEY}'\nleancloud.init('x', K)\napplication = None\n"},
    )
    (message,) = [f.message for f in run(tmp_path, select=("LE701",)).active]
    assert "(assigned to K, which reaches leancloud.init() as app_key)" in message


def test_through_a_module_attribute_and_a_conditional(tmp_path):
    write_project(
        tmp_path,
        {
            "keys.py": f"import os\nSECRET = os.environ.get('MY_SECRET') or '{KEY}'\n",
            "wsgi.py": "import leancloud\nimport keys\nleancloud.init('x', master_key=keys.SECRET if keys else None)\n"
            "application = None\n",
        },
    )
    assert located(run(tmp_path, select=("LE701",)), "LE701") == ["keys.py:2:41"]


def test_unknown_arguments_and_parameters_are_not_followed(tmp_path):
    write_project(
        tmp_path,
        {
            "wsgi.py": "import leancloud\ndef setup(key):\n    leancloud.init('x', master_key=key)\n"
            f"setup(load())\nNOT_A_KEY = '{KEY}'\napplication = None\n",
        },
    )
    assert located(run(tmp_path, select=("LE701",)), "LE701") == []


def test_security_metadata():
    assert HardcodedLeancloudKey.severity is Severity.ERROR
    assert HardcodedLeancloudKey.security_severity == "9.0" and "security" in HardcodedLeancloudKey.tags


@pytest.mark.parametrize(
    "text,role,strict,expected",
    [
        (KEY, MASTER, True, True),
        (KEY, MASTER, False, True),
        (ID, APP_ID, True, True),
        (ID, APP_KEY, True, False),  # an ID's suffix is not a key's shape
        ("9RLabat5zEzNkYtwQW1Rn5sK", APP_ID, True, True),
        ("a1b2c3d4e5f6g7h8", MASTER, False, True),  # 16 characters: loose only
        ("a1b2c3d4e5f6g7h8", MASTER, True, False),
        ("", MASTER, False, False),
        ("xxx", MASTER, False, False),
        ("your-app-key", APP_KEY, False, False),
        ("yourMasterKeyGoesHere123", MASTER, False, False),
        ("<MASTER_KEY>", MASTER, False, False),
        ("${LEANCLOUD_APP_KEY}", APP_KEY, False, False),
        ("{master_key}", MASTER, False, False),
        ("changeme", MASTER, False, False),
        ("test1234test1234test1234", MASTER, False, False),
        ("placeholder0placeholder0", MASTER, False, False),
        ("example0example0example0", MASTER, False, False),
        ("abcdefghijklmnopqrstuvwx", MASTER, False, False),  # no digit
        ("123456789012345678901234", MASTER, False, False),  # no letter
        ("a1a1a1a1a1a1a1a1a1a1a1a1", MASTER, False, False),  # too few distinct characters
        ("/home/leanengine/app/key", MASTER, False, False),
    ],
)
def test_looks_like_key(text, role, strict, expected):
    assert looks_like_key(text, role, strict) is expected


@pytest.mark.parametrize(
    "name,uses_sdk,expected",
    [
        ("LEANCLOUD_APP_MASTER_KEY", False, ("Master Key", True)),
        ("LEANCLOUD_APP_KEY", False, ("App Key", True)),
        ("lc_master_key", False, ("Master Key", True)),
        ("leanAppId", False, ("App ID", True)),
        ("LEANCLOUD_HOOK_KEY", False, ("Hook Key", True)),
        ("MASTER_KEY", True, ("Master Key", False)),
        ("masterKey", True, ("Master Key", False)),
        ("MASTER_KEY", False, None),  # a bare name in a module that does not use the SDK
        ("WECHAT_APP_ID", True, None),  # another service's
        ("MASTER_KEY_FILE", True, None),
        ("SECRET_KEY", True, None),
    ],
)
def test_name_role(name, uses_sdk, expected):
    found = name_role(name, uses_sdk)
    assert (found and (found[0].title, found[1])) == (expected or None)


def test_shown():
    assert shown(KEY) == "'Tz5R…' (24 characters)"


def test_sarif_carries_security_severity(tmp_path, capsys):
    write_project(tmp_path, {"wsgi.py": f"import leancloud\nleancloud.init('x', master_key='{KEY}')\napplication = None\n"})
    main([str(tmp_path), "--select", "LE701", "--format", "sarif"])
    sarif = json.loads(capsys.readouterr().out)
    run_ = sarif["runs"][0]
    (rule,) = [r for r in run_["tool"]["driver"]["rules"] if r["id"] == "LE701"]
    assert rule["properties"]["security-severity"] == "9.0"
    assert KEY not in json.dumps(sarif["runs"][0]["results"])
