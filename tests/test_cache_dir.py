"""The cache directory's size cap (least recently used first) and `lean-lint clean`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analyzer.support.cachedir import DEFAULT_MAX_BYTES, STALE_TEMP_SECONDS, clean, enforce_cap, max_bytes
from tests.helpers import write_project

NOW = 2_000_000_000.0  # a fixed "now" (2033): ages below are relative to it, no clock involved


def put(folder: Path, name: str, size: int, age: float) -> Path:
    """A file of `size` bytes last used `age` seconds before NOW."""
    path = folder / name
    path.write_bytes(b"x" * size)
    os.utime(path, (NOW - age, NOW - age))
    return path


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


A, B, C = "a" * 20 + ".json", "b" * 20 + ".json", "c" * 20 + ".json"
RUN = "run-" + "0" * 24 + ".json"


@pytest.mark.parametrize(
    "value, expected",
    [(None, DEFAULT_MAX_BYTES), ("", DEFAULT_MAX_BYTES), ("1000", 1000), ("0", 0), ("200M", 200 * 1024**2),
     ("200MiB", 200 * 1024**2), ("1g", 1024**3), (" 512 KB ", 512 * 1024), ("lots", DEFAULT_MAX_BYTES),
     ("-1", DEFAULT_MAX_BYTES), ("1.5M", DEFAULT_MAX_BYTES), ("M", DEFAULT_MAX_BYTES), ("١٠", DEFAULT_MAX_BYTES)],
)
def test_max_bytes_reads_the_environment(value, expected):
    env = {} if value is None else {"LEAN_LINT_CACHE_MAX_SIZE": value}
    assert max_bytes(env) == expected


def test_the_least_recently_used_files_go_first_until_within_the_cap(tmp_path):
    put(tmp_path, A, 400, age=300)
    put(tmp_path, RUN, 300, age=200)
    put(tmp_path, B, 200, age=100)
    put(tmp_path, C, 100, age=0)
    assert enforce_cap(tmp_path, keep=tmp_path / C, limit=1000, now=NOW) == 0
    assert enforce_cap(tmp_path, keep=tmp_path / C, limit=400, now=NOW) == 700  # A, then the run record
    assert names(tmp_path) == [B, C]


def test_the_file_just_written_stays_even_when_it_alone_exceeds_the_cap(tmp_path):
    put(tmp_path, A, 500, age=300)  # the oldest, but the one just written
    put(tmp_path, B, 10, age=0)
    assert enforce_cap(tmp_path, keep=tmp_path / A, limit=0, now=NOW) == 10
    assert names(tmp_path) == [A]


def test_only_lean_lints_own_files_are_counted_or_removed(tmp_path):
    foreign = ["notes.txt", "a" * 19 + ".json", "A" * 20 + ".json", "run-abc.json", ".tmp-x.txt"]
    for name in foreign:
        put(tmp_path, name, 1000, age=10_000)
    (tmp_path / ("d" * 20 + ".json")).mkdir()
    outside = put(tmp_path.parent, "outside.json", 1000, age=10_000)
    (tmp_path / ("e" * 20 + ".json")).symlink_to(outside)
    put(tmp_path, A, 10, age=5)
    assert enforce_cap(tmp_path, limit=0, now=NOW) == 10
    assert names(tmp_path) == sorted([*foreign, "d" * 20 + ".json", "e" * 20 + ".json"])
    assert outside.exists()


def test_a_temporary_file_is_removed_once_stale(tmp_path):
    put(tmp_path, ".tmp-abc123.json", 50, age=STALE_TEMP_SECONDS + 1)
    put(tmp_path, ".tmp-run-def456.json", 50, age=10)  # another run is writing it
    assert enforce_cap(tmp_path, limit=10**6, now=NOW) == 50
    assert names(tmp_path) == [".tmp-run-def456.json"]


def test_a_missing_cache_directory_is_no_error(tmp_path):
    assert enforce_cap(tmp_path / "missing", limit=0) == 0
    assert clean(tmp_path / "missing") == (0, 0)


def test_clean_removes_lean_lints_files_and_nothing_else(tmp_path):
    put(tmp_path, A, 1000, age=0)
    put(tmp_path, RUN, 24, age=0)
    put(tmp_path, ".tmp-abc.json", 6, age=0)
    put(tmp_path, "notes.txt", 5, age=0)
    assert clean(tmp_path) == (3, 1030)
    assert names(tmp_path) == ["notes.txt"]


# -- through the commands --------------------------------------------------------------------------


def test_lean_lint_clean_command(tmp_path, monkeypatch, capsys):
    from analyzer.cli.replay import main

    cache = tmp_path / "cache"
    monkeypatch.setenv("LEAN_LINT_CACHE_DIR", str(cache))
    write_project(tmp_path / "app", {"wsgi.py": "application = None\n"})
    assert main([str(tmp_path / "app")]) in (0, 1)
    capsys.readouterr()
    count = len(list(cache.iterdir()))
    assert count == 2  # the analysis cache and the run record
    size = sum(p.stat().st_size for p in cache.iterdir())
    assert main(["clean"]) == 0
    out, err = capsys.readouterr()
    from analyzer.support.cachedir import human_size

    assert (out, err) == (f"removed 2 cache files ({human_size(size)}) from {cache}\n", "")
    assert list(cache.iterdir()) == []
    assert main(["clean"]) == 0  # run again, not answered from a record of the first
    assert capsys.readouterr() == (f"no cache to remove in {cache}\n", "")
    assert main(["clean", "now"]) == 2
    assert capsys.readouterr().err == (
        "lean-lint: error: `lean-lint clean` takes no arguments (it removes the cache of every project)\n"
    )


def test_runs_mark_what_they_use_and_evict_the_rest(tmp_path, monkeypatch, capsys):
    from analyzer.cli.replay import main

    cache = tmp_path / "cache"
    monkeypatch.setenv("LEAN_LINT_CACHE_DIR", str(cache))
    for name in ("one", "two"):  # names of one length: their caches and records are of one size
        write_project(tmp_path / name, {"wsgi.py": "application = None\n"})
    main([str(tmp_path / "one")])
    (record,) = cache.glob("run-*.json")
    (analysis,) = cache.glob("[0-9a-f]*.json")
    long_ago = 1_000_000_000

    def age(*paths):
        for path in paths:
            os.utime(path, (long_ago, long_ago))

    age(record, analysis)
    main([str(tmp_path / "one")])  # replayed from the run record, which is touched
    assert record.stat().st_mtime > long_ago and analysis.stat().st_mtime == long_ago
    age(record, tmp_path / "one" / "wsgi.py")
    main([str(tmp_path / "one")])  # a file changed: the analysis cache is read, and touched
    assert analysis.stat().st_mtime > long_ago

    # Room for one more run record: project two's analysis cache puts the folder over the cap, and
    # project one's, the least recently used file, goes.
    age(analysis)
    sizes = {p.name: p.stat().st_size for p in cache.iterdir()}
    monkeypatch.setenv("LEAN_LINT_CACHE_MAX_SIZE", str(sum(sizes.values()) + sizes[record.name]))
    main([str(tmp_path / "two")])
    capsys.readouterr()
    assert not analysis.exists() and record.exists()
    assert len(list(cache.iterdir())) == 3  # project one's record; project two's cache and record
