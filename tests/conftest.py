import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory):
    """The CLI caches by default: keep the suite's cache out of the user's cache directory."""
    mp = pytest.MonkeyPatch()
    mp.setenv("LEAN_LINT_CACHE_DIR", str(tmp_path_factory.mktemp("lean-lint-cache")))
    yield
    mp.undo()
