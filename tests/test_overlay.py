"""The overlay seam: unsaved editor text analyzed in place of the files on disk (analyzer/readers/overlay.py)."""

from __future__ import annotations

import pytest

from analyzer.engine import run as engine
from analyzer.engine.run import analyze
from analyzer.readers.overlay import encode_overlay
from tests.helpers import located, write_project

WSGI = "from flask import Flask\nimport requests\napp = Flask(__name__)\napplication = app\n"
RUN_LOOPBACK = 'if __name__ == "__main__":\n    app.run(host="127.0.0.1")\n'
FILES = {"wsgi.py": WSGI, "requirements.txt": "flask>=2,<3\n", "leanengine.yaml": "run: python wsgi.py\n"}


def codes(report) -> list[str]:
    return [f"{f.path}:{f.line}:{f.column}:{f.code}" for f in report.active]


def test_python_overlay_replaces_the_file_on_disk(tmp_path):
    write_project(tmp_path, FILES)
    assert located(analyze(tmp_path, select=("LE201",))) == []
    report = analyze(tmp_path, select=("LE201",), overlay={"wsgi.py": WSGI + RUN_LOOPBACK})
    assert located(report, with_message=True) == [
        "wsgi.py:6:18: `app.run()` listens on '127.0.0.1', a loopback address: only the container itself can reach it, "
        "so the platform's health check and traffic never arrive and the deploy fails; listen on all interfaces: "
        "host='0.0.0.0'"
    ]
    assert (tmp_path / "wsgi.py").read_text() == WSGI  # nothing is written


def test_cross_file_findings_follow_an_overlaid_requirements_file(tmp_path):
    write_project(tmp_path, FILES)
    assert located(analyze(tmp_path, select=("LE405",))) == ["wsgi.py:2:8"]
    report = analyze(tmp_path, select=("LE405",), overlay={"requirements.txt": "flask>=2,<3\nrequests>=2,<3\n"})
    assert located(report) == []


def test_overlaid_leanengine_yaml_is_read(tmp_path):
    write_project(tmp_path, {**FILES, "wsgi.py": WSGI + RUN_LOOPBACK})
    assert located(analyze(tmp_path, select=("LE201",))) == ["wsgi.py:6:18"]
    # Without `run:` the platform imports wsgi.py: its __main__ block never runs, LE201 is quiet.
    assert located(analyze(tmp_path, select=("LE201",), overlay={"leanengine.yaml": "# no run\n"})) == []


def test_cached_results_are_never_stale(tmp_path):
    write_project(tmp_path, FILES)
    disk = codes(analyze(tmp_path, use_cache=True))
    assert "wsgi.py:2:8:LE405" in disk
    edited = analyze(tmp_path, use_cache=True, overlay={"wsgi.py": WSGI + RUN_LOOPBACK})
    assert "wsgi.py:6:18:LE201" in codes(edited)
    # A non-Python file overlaid: the project rules' cache key includes the overlay.
    reqs = analyze(tmp_path, use_cache=True, overlay={"requirements.txt": "flask>=2,<3\nrequests>=2,<3\n"})
    assert "wsgi.py:2:8:LE405" not in codes(reqs)
    assert codes(analyze(tmp_path, use_cache=True)) == disk
    twice = analyze(tmp_path, use_cache=True, overlay={"wsgi.py": WSGI + RUN_LOOPBACK})
    assert codes(twice) == codes(edited)
    assert twice.cache_stats[1] >= 1  # the project rules' entry for the disk's text is not reused
    thrice = analyze(tmp_path, use_cache=True, overlay={"wsgi.py": WSGI + RUN_LOOPBACK})
    assert codes(thrice) == codes(edited) and thrice.cache_stats[1] == 0  # the same text: all from the cache


def test_newlines_and_bom_in_the_overlay_keep_positions(tmp_path):
    write_project(tmp_path, FILES)
    text = "\ufeff" + (WSGI + RUN_LOOPBACK).replace("\n", "\r\n")
    assert located(analyze(tmp_path, select=("LE201",), overlay={"wsgi.py": text})) == ["wsgi.py:6:18"]
    reqs = analyze(tmp_path, select=("LE401",), overlay={"requirements.txt": "\ufeffflask\r\n"})
    assert located(reqs) == ["requirements.txt:1:1"]  # pip and editors do not count the BOM as a column
    (tmp_path / ".python-version").write_text("3.10\n")
    assert located(analyze(tmp_path, select=("LE602",))) == []
    version = analyze(tmp_path, select=("LE602",), overlay={".python-version": "\ufeff3.10\r\n"})
    assert [f.message[:60] for f in version.active] == ["lean-cli refuses to deploy: `.python-version` must start wit"]


def test_a_coding_cookie_is_honoured():
    text = "# -*- coding: latin-1 -*-\ns = 'é'\n"
    assert encode_overlay("m.py", text) == text.encode("latin-1")
    assert encode_overlay("m.txt", text) == text.encode("utf-8")
    # Text the cookie's codec cannot carry is kept as UTF-8; decoding then fails, as it would on disk.
    assert encode_overlay("m.py", "# coding: ascii\ns = 'é'\n") == "# coding: ascii\ns = 'é'\n".encode()


def test_cookie_overlay_is_analyzed_by_characters(tmp_path):
    write_project(tmp_path, FILES)
    text = "# -*- coding: latin-1 -*-\n" + WSGI + 'if __name__ == "__main__":\n    s = "éé"; app.run(host="127.0.0.1")\n'
    report = analyze(tmp_path, select=("LE001", "LE201"), overlay={"wsgi.py": text})
    assert located(report) == ["wsgi.py:7:28"]


def test_an_undecodable_overlay_is_le001(tmp_path):
    write_project(tmp_path, FILES)
    report = analyze(tmp_path, select=("LE001",), overlay={"wsgi.py": "# coding: ascii\ns = 'é'\n"})
    assert located(report) == ["wsgi.py:2:1"]


def test_an_overlay_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    write_project(tmp_path, FILES)
    monkeypatch.setattr("analyzer.readers.python.MAX_FILE_BYTES", 100)
    monkeypatch.setattr("analyzer.model.project.MAX_FILE_BYTES", 100)
    report = analyze(tmp_path, select=("LE003",), overlay={"wsgi.py": WSGI + "#" * 200 + "\n"})
    assert located(report, with_message=True) == ["wsgi.py:1:1: wsgi.py was not analyzed: it is 281 bytes, over lean-lint's 100-byte limit"]


def test_overlay_of_a_file_not_on_disk_is_ignored(tmp_path):
    write_project(tmp_path, FILES)
    report = analyze(tmp_path, select=("LE201",), overlay={"other.py": "import flask\nflask.Flask('x').run(host='127.0.0.1')\n"})
    assert located(report) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_worker_processes_see_the_overlay(tmp_path, monkeypatch, jobs):
    write_project(tmp_path, {**FILES, "other.py": "x = 1\n"})
    monkeypatch.setattr(engine, "PARALLEL_MIN_BYTES", 0)
    report = analyze(tmp_path, select=("LE201",), jobs=jobs, overlay={"wsgi.py": WSGI + RUN_LOOPBACK})
    assert located(report) == ["wsgi.py:6:18"]
