import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory):
    """The CLI caches by default: keep the suite's cache out of the user's cache directory."""
    mp = pytest.MonkeyPatch()
    mp.setenv("LEAN_LINT_CACHE_DIR", str(tmp_path_factory.mktemp("lean-lint-cache")))
    yield
    mp.undo()


@pytest.fixture
def in_project(tmp_path, monkeypatch):
    """Run from inside the test's project, as a user in their project folder: text output paths are
    relative to the current directory, so they read `wsgi.py:1:15`."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
