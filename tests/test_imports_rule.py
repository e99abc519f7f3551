"""LE405 end to end, and the import-name -> distribution table behind it (analyzer/platform/distributions.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.platform.distributions import IMPORT_TO_DISTRIBUTIONS, Provider, name_matches, table_entry
from analyzer.support.names import normalize_name
from tests.helpers import located, run, write_project

STUB = "from flask import Flask\napplication = Flask(__name__)\n"


def findings(tmp_path, files, config=None):
    write_project(tmp_path, files)
    return located(run(tmp_path, select=("LE405",), config=config), "LE405", with_message=True)


def provider(*names, **kw) -> Provider:
    return Provider(requirements=frozenset(normalize_name(n) for n in names), **kw)


# -- the curated table ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module,dist",
    [
        ("yaml", "PyYAML"),
        ("PIL", "Pillow"),
        ("PIL.Image", "Pillow"),
        ("bs4", "beautifulsoup4"),
        ("jwt", "PyJWT"),
        ("dateutil.parser", "python-dateutil"),
        ("cv2", "opencv-python"),
        ("sklearn.linear_model", "scikit-learn"),
        ("google.protobuf.json_format", "protobuf"),
        ("leancloud", "leancloud"),
        ("MySQLdb", "mysqlclient"),
        ("Crypto.Cipher", "pycryptodome"),
        ("rest_framework.routers", "djangorestframework"),
    ],
)
def test_table_suggests_the_distribution(module, dist):
    assert table_entry(module)[0] == dist
    assert provider("Flask").explain_missing(module) == dist


@pytest.mark.parametrize(
    "module,requirement",
    [
        ("yaml", "pyyaml"),
        ("PIL", "pillow"),
        ("cv2", "opencv-python-headless"),
        ("cv2", "opencv-contrib-python"),
        ("jwt", "pyjwt"),
        ("bs4", "BeautifulSoup4"),
        ("dateutil", "python_dateutil"),
        ("google.protobuf", "protobuf"),
        ("leancloud", "leancloud-sdk"),
        ("psycopg2", "psycopg2-binary"),
        ("MySQLdb", "mysqlclient"),
        ("attr", "attrs"),
    ],
)
def test_table_names_count_with_pep503_normalization(module, requirement):
    assert provider(requirement).explain_missing(module) is None


def test_every_table_entry_is_a_tuple_of_distribution_names():
    for module, dists in IMPORT_TO_DISTRIBUTIONS.items():
        assert dists and all(isinstance(d, str) and d == d.strip() for d in dists), module
        assert all(part.isidentifier() for part in module.split(".")), module


@pytest.mark.parametrize(
    "module,dist,expected",
    [
        ("flask_sqlalchemy", "Flask-SQLAlchemy", True),
        ("flask_cors", "Flask_Cors", True),
        ("dotenv", "python-dotenv", True),
        ("socketio", "python-socketio", True),
        ("telegram", "python-telegram-bot", True),
        ("redis", "django-redis", True),
        ("websocket", "websocket-client", True),
        ("numpy", "numpy", True),
        ("flask_cors", "Flask", False),
        ("requests", "urllib3", False),
        ("yaml", "Flask", False),
    ],
)
def test_name_matches(module, dist, expected):
    assert name_matches(module, dist) is expected


def test_dependencies_of_known_distributions_count():
    p = provider("Flask", "leancloud")
    for module in ("werkzeug", "jinja2", "itsdangerous", "click", "markupsafe", "requests", "urllib3", "six", "gevent",
                   "arrow", "dateutil", "greenlet", "zope.interface"):
        assert p.explain_missing(module) is None, module
    assert p.explain_missing("numpy") == "numpy"
    assert p.explain_missing("no_such_module_anywhere") == ""
    assert not p.has_opaque


def test_an_unknown_requirement_provides_only_what_its_name_says():
    # Issue #14: it used to make ~150 "common dependencies" count as provided.
    p = provider("Flask", "some-private-lib")
    assert p.has_opaque
    assert p.explain_missing("requests") == "requests"
    assert p.explain_missing("six") == "six"
    assert p.explain_missing("bs4") == "beautifulsoup4"
    assert p.explain_missing("some_private_lib") is None
    assert p.explain_missing("private_lib") is None


def test_shipped_wheel_data_maps_import_names_and_dependencies():
    # From the wheels' RECORD and METADATA (analyzer/platform/distribution_modules.json).
    assert provider("Flask").explain_missing("annotated_types") == "annotated-types"
    assert provider("pydantic").explain_missing("annotated_types") is None  # pydantic requires it
    assert provider("google-auth").explain_missing("google.oauth2") is None
    assert provider("Flask").explain_missing("google.oauth2.credentials") == "google-auth"
    assert provider("Flask").explain_missing("backports.zoneinfo") is None  # not known: not reported


def test_extras_bring_their_packages():
    p = provider("uvicorn", extras=frozenset({("uvicorn", "standard")}))
    assert p.explain_missing("yaml") is None
    assert p.explain_missing("dotenv") is None
    assert provider("uvicorn").explain_missing("yaml") == "PyYAML"
    assert provider("celery", extras=frozenset({("celery", "redis")})).explain_missing("redis") is None


def test_namespace_packages():
    p = provider("Flask")
    assert p.explain_missing("google.cloud.storage") == "google-cloud-storage"
    assert p.explain_missing("google.protobuf") == "protobuf"
    assert p.explain_missing("google.something_else") is None  # lean-lint does not know what provides it
    assert p.explain_missing("zope.interface") == "zope.interface"  # from its wheel; Flask does not bring it
    assert provider("gevent").explain_missing("zope.interface") is None
    assert provider("google-cloud-storage").explain_missing("google.cloud.storage") is None
    assert provider("ruamel.yaml").explain_missing("ruamel.yaml") is None


def test_module_map_override_is_authoritative():
    p = provider("Flask", overrides=(("acme", "acme-client-lib"), ("acme.tools", "acme-tools")))
    assert p.explain_missing("acme") == "acme-client-lib"
    assert p.explain_missing("acme.tools.x") == "acme-tools"
    p = provider("acme-client-lib", overrides=(("acme", "acme-client-lib"),))
    assert p.explain_missing("acme.client") is None


def test_standard_library_of_any_version():
    p = provider("Flask")
    for module in ("os", "__future__", "asyncio", "tomllib", "distutils.core", "imp", "urllib2", "ConfigParser",
                   "telnetlib", "pkg_resources", "setuptools", "uwsgi"):
        assert p.explain_missing(module) is None, module


# -- the rule end to end ---------------------------------------------------------------------------------


def test_first_import_per_distribution_per_file(tmp_path):
    got = findings(
        tmp_path,
        {
            "requirements.txt": "Flask>=2,<3\n",
            "wsgi.py": "import os\nfrom views import x\n" + STUB,
            "views.py": "import yaml\nfrom yaml import safe_load\nx = 1\ndef f():\n    import yaml.constructor\n",
        },
    )
    assert [g.split(": ")[0] for g in got] == ["views.py:1:8"]


def test_column_of_a_from_import_and_of_a_multi_import(tmp_path):
    got = findings(
        tmp_path,
        {"requirements.txt": "Flask>=2,<3\n", "wsgi.py": "import os, yaml\nfrom  bs4  import BeautifulSoup\n" + STUB},
    )
    assert [g.split(": ")[0] for g in got] == ["wsgi.py:1:12", "wsgi.py:2:7"]


def test_requirements_from_included_files_count(tmp_path):
    files = {
        "requirements.txt": "-r requirements/base.txt\n",
        "requirements/base.txt": "Flask>=2,<3\nPyYAML>=6,<7\n",
        "leanengine.yaml": "install:\n  - {require: [requirements/base.txt]}\n  - {use: default}\n",
        "wsgi.py": "import yaml\n" + STUB,
    }
    assert findings(tmp_path, files) == []


def test_constraints_install_nothing(tmp_path):
    files = {
        "requirements.txt": "Flask>=2,<3\n-c constraints.txt\n",
        "constraints.txt": "PyYAML==6.0.1\n",
        "leanengine.yaml": "install:\n  - {require: [constraints.txt]}\n  - {use: default}\n",
        "wsgi.py": "import yaml\n" + STUB,
    }
    assert [g.split(": ")[0] for g in findings(tmp_path, files)] == ["wsgi.py:1:8"]


def test_vcs_requirement_with_egg_name_counts_by_name(tmp_path):
    files = {
        "requirements.txt": "Flask>=2,<3\ngit+https://example.com/x/yaml-fork.git#egg=PyYAML\n",
        "wsgi.py": "import yaml\nimport toml\n" + STUB,
    }
    assert [g.split(": ")[0] for g in findings(tmp_path, files)] == ["wsgi.py:2:8"]


def test_submodule_held_back_by_leanignore(tmp_path):
    files = {
        "requirements.txt": "Flask>=2,<3\n",
        ".leanignore": "helpers/secret.py\n",
        "helpers/__init__.py": "from .public import shared\n",
        "helpers/public.py": "shared = 1\n",
        "helpers/secret.py": "TOKEN = 'x'\n",
        "wsgi.py": "from helpers import secret, shared\n" + STUB,
    }
    assert findings(tmp_path, files) == [
        "wsgi.py:1:21: `helpers.secret` is imported, but .leanignore keeps it from being uploaded "
        "(helpers/secret.py): the deployed app fails to start"
    ]


def test_leanignored_package_and_fallback_import(tmp_path):
    files = {
        "requirements.txt": "Flask>=2,<3\n",
        ".leanignore": "devtools/\n",
        "devtools/__init__.py": "",
        "devtools/profiler.py": "",
        "wsgi.py": "try:\n    import ujson as json\nexcept ImportError:\n    import simplejson as json\n"
        "import devtools.profiler\n" + STUB,
    }
    got = findings(tmp_path, files)
    assert [g.split(": ")[0] for g in got] == ["wsgi.py:5:8"]
    assert "(devtools/profiler.py)" in got[0]


def test_main_block_of_the_run_program_counts(tmp_path):
    files = {
        "requirements.txt": "Flask>=2,<3\n",
        "leanengine.yaml": "run: python app.py\n",
        "app.py": STUB + "if __name__ == '__main__':\n    from gevent.pywsgi import WSGIServer\n",
        "wsgi.py": "",
    }
    assert [g.split(": ")[0] for g in findings(tmp_path, files)] == ["app.py:4:10"]


def test_module_map_from_pyproject(tmp_path):
    files = {
        "requirements.txt": "Flask>=2,<3\ninternal-sdk==1.2\n",
        "pyproject.toml": "[tool.lean-lint]\nmodule-map = {corp = \"internal-sdk\", yaml = \"ruamel.yaml\"}\n",
        "wsgi.py": "import corp.client\nimport yaml\n" + STUB,
    }
    got = findings(tmp_path, files, config={"module-map": {"corp": "internal-sdk", "yaml": "ruamel.yaml"}})
    assert [g.split(": ")[0] for g in got] == ["wsgi.py:2:8"]
    assert "does not install ruamel.yaml" in got[0]


def test_build_root(tmp_path):
    files = {
        "leanengine.yaml": "buildRoot: api\n",
        "api/requirements.txt": "Flask>=2,<3\n",
        "api/wsgi.py": "import yaml\n" + STUB,
    }
    got = findings(tmp_path, files)
    assert [g.split(": ")[0] for g in got] == ["api/wsgi.py:1:8"]
    assert "api/requirements.txt does not install PyYAML" in got[0]


def test_a_custom_run_command_that_installs_keeps_quiet(tmp_path):
    files = {
        "requirements.txt": "Flask>=2,<3\n",
        "leanengine.yaml": "run: pip install pyyaml && python app.py\n",
        "app.py": "import yaml\n" + STUB,
        "wsgi.py": "",
    }
    assert findings(tmp_path, files) == []


# -- hermetic: what is installed where lean-lint runs plays no part (issue #14) ----------------------


def _fake_distribution(site: Path, name: str, modules: list[str], requires: list[str]) -> None:
    """A distribution "installed" in `site` as pip leaves it: dist-info with METADATA, RECORD, top_level.txt."""
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n" + "".join(f"Requires-Dist: {r}\n" for r in requires)
    (info / "METADATA").write_text(meta)
    (info / "top_level.txt").write_text("".join(m + "\n" for m in modules))
    record = [f"{m}/__init__.py,," for m in modules] + [f"{info.name}/{f},," for f in ("METADATA", "RECORD", "top_level.txt")]
    (info / "RECORD").write_text("\n".join(record) + "\n")
    for m in modules:
        (site / m).mkdir()
        (site / m / "__init__.py").write_text("")


def test_le405_gives_the_same_answer_with_extra_packages_installed(tmp_path):
    project = tmp_path / "app"
    write_project(project, {
        "requirements.txt": "Flask>=2,<3\nsome-private-lib==1.0\nodd-dist==1.0\n",
        "wsgi.py": "import requests\nimport oddly_named\n" + STUB,
    })
    # Installed here: the private lib (which requires requests) and odd-dist, which provides `oddly_named`:
    # lean-lint used to read both from the running interpreter, so the answer depended on the machine.
    site = tmp_path / "site"
    _fake_distribution(site, "some-private-lib", ["some_private_lib"], ["requests>=2"])
    _fake_distribution(site, "odd-dist", ["oddly_named"], [])
    command = [sys.executable, "-m", "analyzer", str(project), "--select", "LE405", "--no-cache", "--format", "json"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    bare = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    extra = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env | {"PYTHONPATH": str(site)})
    probe = [sys.executable, "-c", "import importlib.metadata as m; print(m.requires('some-private-lib'))"]
    assert "requests" in subprocess.run(probe, capture_output=True, text=True, env=env | {"PYTHONPATH": str(site)}).stdout
    assert bare.returncode == extra.returncode == 0, bare.stderr + extra.stderr  # warnings only
    assert bare.stdout == extra.stdout
    found = [(f["line"], f["message"].split(" is imported")[0]) for f in json.loads(bare.stdout)["findings"]]
    assert found == [(1, "`requests`"), (2, "`oddly_named`")]


def test_what_an_unknown_requirement_provides_by_its_name():
    from analyzer.platform.distributions import name_is, plugin_targets, stub_only

    assert name_is("msgpack", "msgpack-python") and name_is("faiss", "faiss-gpu") and name_is("dotenv", "python-dotenv")
    assert not name_is("requests", "types-requests") and not name_is("yaml", "yaml-config-loader")
    assert stub_only("types-PyYAML") and stub_only("pandas-stubs") and not stub_only("typeshed-client")
    assert plugin_targets("django-redis") == ("redis",)
    assert plugin_targets("django-redis-sessions") == ("redis",)
    assert plugin_targets("requests-whatever") == ()
    p = provider("Flask", "types-requests", "yaml-config-loader", "django-redis", "msgpack-python")
    assert p.explain_missing("requests") == "requests"
    assert p.explain_missing("yaml") == "PyYAML"
    assert p.explain_missing("yaml_config_loader") is None
    assert p.explain_missing("redis") is None and p.explain_missing("django") is None
    assert p.explain_missing("msgpack") is None
