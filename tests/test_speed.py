"""The fast paths must never change the findings: cache, worker processes, the keyword prefilter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import analyzer.engine.run as engine
from analyzer.engine.cache import CACHE_FORMAT, Cache, cache_home, code_salt
from analyzer.readers.config import load_config
from analyzer.engine.run import analyze
from tests.helpers import write_project

HERE = Path(__file__).resolve().parent
CORPUS = sorted(
    [p for p in (HERE / "fixtures").iterdir() if p.is_dir()] + [p for p in (HERE.parent / "examples").iterdir() if p.is_dir()]
)

APP = {
    "leanengine.yaml": "run: python app.py\n",
    "requirements.txt": "Flask>=2.0\n",
    "app.py": "import os\nfrom flask import Flask\nimport helpers\napp = Flask(__name__)\n"
    "open('data.txt', 'w')\napp.run(host='127.0.0.1', port=5000)\n",
    "helpers.py": "import sqlite3\ndb = sqlite3.connect('x.db')\n",
    "unrelated.py": "print 'py2'\n",
}


def shape(report):
    return [(f.code, f.path, f.span, f.message, f.suppressed) for f in report.findings]


@pytest.mark.parametrize("root", CORPUS, ids=lambda p: p.name)
def test_prefilter_never_changes_findings(root):
    config = load_config(root)
    assert shape(analyze(root, config=config)) == shape(analyze(root, config=config, prefilter=False))


def test_worker_processes_give_the_serial_findings(tmp_path, monkeypatch):
    write_project(tmp_path, APP)
    serial = shape(analyze(tmp_path, jobs=1))
    monkeypatch.setattr(engine, "PARALLEL_MIN_BYTES", 0)
    assert shape(analyze(tmp_path, jobs=2)) == serial
    assert any(code == "LE001" for code, *_ in serial)


def test_with_workers_the_files_the_platform_runs_are_parsed_once_here(tmp_path, monkeypatch):
    """Worker processes read the files nothing runs; this process reads the ones the rules need
    trees of, once: the cheap pass keeps what it parsed."""
    import analyzer.model.first_pass as first_pass
    import analyzer.model.project as project_module

    write_project(tmp_path, {**APP, "tool_a.py": "print('a')\n", "tool_b.py": "print('b')\n"})
    parsed: list[str] = []

    def counting(real, where):
        def load(rel, *args, **kwargs):
            parsed.append(f"{where}:{rel}")
            return real(rel, *args, **kwargs)

        return load

    monkeypatch.setattr(first_pass, "load_python", counting(first_pass.load_python, "cheap pass"))
    monkeypatch.setattr(project_module, "load_python", counting(project_module.load_python, "rules"))
    monkeypatch.setattr(engine, "PARALLEL_MIN_BYTES", 0)
    report = analyze(tmp_path, jobs=2, use_cache=False)
    assert sorted(parsed) == ["cheap pass:app.py", "cheap pass:helpers.py"]
    assert {f.code for f in report.findings} >= {"LE001", "LE201", "LE501"}


def test_warm_run_is_answered_from_the_cache(tmp_path):
    write_project(tmp_path, APP)
    cold = analyze(tmp_path, use_cache=True)
    warm = analyze(tmp_path, use_cache=True)
    assert shape(warm) == shape(cold)
    hits, misses = warm.cache_stats
    assert misses == 0 and hits > 0


def test_editing_one_file_reanalyzes_only_what_it_affects(tmp_path):
    write_project(tmp_path, {**APP, "other.py": "import os\nopen('/data/x', 'w')\n"})
    analyze(tmp_path, use_cache=True)
    (tmp_path / "unrelated.py").write_text("print('py3')\n")
    report = analyze(tmp_path, use_cache=True)
    _, misses = report.cache_stats
    # The edited file's cheap pass and the project rules (its digest changed); app.py, helpers.py
    # and other.py come from the cache.
    assert misses == 2
    assert not any(f.path == "unrelated.py" for f in report.findings)


def test_editing_an_imported_module_reanalyzes_its_importers(tmp_path):
    write_project(tmp_path, APP)
    analyze(tmp_path, use_cache=True)
    (tmp_path / "helpers.py").write_text("import sqlite3\ndb = sqlite3.connect(':memory:')\n")
    report = analyze(tmp_path, use_cache=True)
    _, misses = report.cache_stats
    assert misses == 4  # helpers.py cheap + code, app.py code (it imports helpers), project rules
    assert not any(f.code == "LE502" for f in report.active)


def test_corrupt_cache_is_ignored_and_rewritten(tmp_path):
    write_project(tmp_path, APP)
    expected = shape(analyze(tmp_path, use_cache=True))
    cache_file = Cache(tmp_path.resolve(), "x").path
    cache_file.write_text("{not json")
    assert shape(analyze(tmp_path, use_cache=True)) == expected
    assert json.loads(cache_file.read_text())["format"] == CACHE_FORMAT
    doc = json.loads(cache_file.read_text())
    first = next(iter(doc["code"]))
    doc["code"][first] = [{"bogus": True}]
    cache_file.write_text(json.dumps(doc))
    assert shape(analyze(tmp_path, use_cache=True)) == expected


def test_no_cache_writes_nothing(tmp_path, capsys):
    from analyzer.cli.main import main

    project = write_project(tmp_path / "p", APP)
    before = set(cache_home().iterdir()) if cache_home().exists() else set()
    main([str(project), "--no-cache"])
    after = set(cache_home().iterdir()) if cache_home().exists() else set()
    assert before == after


def test_warm_cli_run_does_not_import_libcst(tmp_path):
    project = write_project(tmp_path / "p", APP)
    env = {**os.environ, "LEAN_LINT_CACHE_DIR": str(tmp_path / "cache")}
    probe = (
        "import sys; from analyzer.cli.main import main; code = main([sys.argv[1]]); "
        "print('LIBCST' if 'libcst' in sys.modules else 'NO-LIBCST', code)"
    )
    cold = subprocess.run([sys.executable, "-c", probe, str(project)], capture_output=True, text=True, env=env, timeout=120)
    warm = subprocess.run([sys.executable, "-c", probe, str(project)], capture_output=True, text=True, env=env, timeout=120)
    assert cold.stdout.splitlines()[-1] == "LIBCST 1"
    assert warm.stdout.splitlines()[-1] == "NO-LIBCST 1"
    assert warm.stdout.splitlines()[:-1] == cold.stdout.splitlines()[:-1]


def test_salt_changes_with_lean_lint_code():
    assert code_salt() == code_salt()


def test_notices_of_project_rules_survive_the_cache(tmp_path):
    write_project(tmp_path, {"wsgi.py": "application = None\n", "requirements.txt": "x==1\n" * 500_000})
    cold = analyze(tmp_path, use_cache=True)
    warm = analyze(tmp_path, use_cache=True)
    assert warm.cache_stats[1] == 0
    # An oversized requirements.txt is an LE003 finding (it was a notice): the cache keeps it too.
    assert [f.message.split(",")[0] for f in cold.findings if f.code == "LE003"] == [
        "requirements.txt was not analyzed: it is 2"
    ]
    assert [f.message for f in warm.findings] == [f.message for f in cold.findings]
    assert warm.notices == cold.notices
