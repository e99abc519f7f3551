"""lean-lint against its peers, on a large tree and a small app, measured side by side in one run.

    python benchmarks/run.py [--repeat 5] [--skip-peers] [--fixit-on-large]

Run it from an environment where lean-lint is installed (`pip install .`). It prepares, under
benchmarks/.cache/ (git-ignored):

* Django's own package (`django/` of the pinned sdist, downloaded with pip): 885 files, 159k lines;
  and two copies of it, for the growth goal. Without an entry point nothing in it runs on the
  platform, so only the rules about every uploaded file look at it;
* a project that vendors that package (`wsgi.py` calls `get_wsgi_application()`, with a settings
  module and a requirements.txt): the platform imports Django from the project, so every rule
  about running code judges the ~350 modules it runs. This is where lean-lint does its real work;
* a 10-file Flask app written by this script (the kind of project lean-lint is for);
* bandit, semgrep (5 rules: benchmarks/semgrep-rules.yml) and Fixit, each in a virtual
  environment of its own.

Every command runs `--repeat` times, the commands taking turns so that load on this shared machine
falls on all of them alike; the table shows median wall time and median peak resident memory.
The goals are ratios between commands of the same run (absolute times drift from run to run):

* large tree, cold: lean-lint <= 0.5x bandit (and near semgrep's time);
* vendored Django, cold with `--no-cache`: <= 1.0x bandit on the same tree, peak memory <= 2x bandit's;
* warm re-run with nothing changed: <= 0.1x the cold run;
* small app: cold <= 1.5x `python -c "import libcst"`, warm <= 1.2x `python -c "import yaml"`;
* memory on the large tree <= bandit's;
* growth: two copies of Django at most double the cold time.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
DJANGO_VERSION = "5.2.19"
#: Each peer in a virtual environment of its own, so their dependencies cannot conflict. (semgrep
#: 1.185's certifi pin was not on the package index when this was written.)
PEERS = {"bandit": "bandit==1.9.4", "semgrep": "semgrep==1.170.0", "fixit": "fixit==2.2.1"}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# -- corpora ---------------------------------------------------------------------------------------


def django_tree() -> Path:
    target = CACHE / f"django-{DJANGO_VERSION}"
    if (target / "django").is_dir():
        return target / "django"
    dl = CACHE / "downloads"
    dl.mkdir(parents=True, exist_ok=True)
    log(f"downloading Django {DJANGO_VERSION} sdist with pip")
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
         f"django=={DJANGO_VERSION}", "-d", str(dl)],
        check=True,
    )
    (sdist,) = [p for p in dl.iterdir() if p.name.lower().startswith("django-") and p.name.endswith(".tar.gz")]
    with tarfile.open(sdist) as tar:
        tmp = Path(tempfile.mkdtemp(dir=CACHE))
        tar.extractall(tmp, filter="data") if hasattr(tarfile, "data_filter") else tar.extractall(tmp)
    (extracted,) = list(tmp.iterdir())
    target.mkdir(parents=True, exist_ok=True)
    shutil.move(str(extracted / "django"), target / "django")
    shutil.rmtree(tmp)
    return target / "django"


VENDORED_APP = {
    "wsgi.py": """
        import os
        from django.core.wsgi import get_wsgi_application
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
        application = get_wsgi_application()
    """,
    "settings.py": 'DEBUG = False\nSECRET_KEY = "x"\n',
    "requirements.txt": "asgiref>=3.8,<4\nsqlparse>=0.5,<1\n",
}


def vendored_tree(django: Path) -> Path:
    """A project whose wsgi.py imports the Django package copied into it."""
    target = CACHE / "vendored-django"
    if not (target / "django").is_dir():
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(django, target / "django")
    write_files(target, VENDORED_APP)
    return target


def write_files(target: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def doubled_tree(django: Path) -> Path:
    target = CACHE / "django-x2"
    if not target.is_dir():
        for name in ("one", "two"):
            shutil.copytree(django, target / name / "django")
    return target


SMALL_APP = {
    "leanengine.yaml": "run: python wsgi.py\nstartupTimeout: 60\n",
    "requirements.txt": "leancloud>=2.9.1,<3.0.0\nFlask>=2.0,<3\ngevent>=22.10,<25\nrequests>=2.31,<3\n",
    ".python-version": "3.11\n",
    "wsgi.py": """
        import os
        import leancloud
        from app import app
        from cloud import engine
        leancloud.init(os.environ["LEANCLOUD_APP_ID"], app_key=os.environ["LEANCLOUD_APP_KEY"],
                       master_key=os.environ["LEANCLOUD_APP_MASTER_KEY"])
        application = engine
        if __name__ == "__main__":
            from gevent.pywsgi import WSGIServer
            env = os.environ.get("LEANCLOUD_APP_ENV", "development")
            host = "localhost" if env == "development" else "0.0.0.0"
            WSGIServer((host, int(os.environ.get("LEANCLOUD_APP_PORT", 3000))), application).serve_forever()
    """,
    "app.py": """
        import logging, sys
        from flask import Flask
        from views.home import home
        from views.api import api
        app = Flask(__name__)
        app.register_blueprint(home)
        app.register_blueprint(api, url_prefix="/api")
        logging.basicConfig(stream=sys.stdout)
    """,
    "cloud.py": """
        from leancloud import Engine
        from app import app
        engine = Engine(app)
        @engine.define
        def hello(**params):
            return "hello " + params.get("name", "world")
    """,
    "config.py": 'UPLOADS = "/home/leanengine/tmp/uploads"\nPAGE_SIZE = 20\n',
    "models.py": """
        import leancloud
        class Todo(leancloud.Object):
            pass
        def recent(limit=20):
            return leancloud.Query(Todo).limit(limit).find()
    """,
    "views/__init__.py": "",
    "views/home.py": """
        from flask import Blueprint, render_template_string
        home = Blueprint("home", __name__)
        @home.route("/")
        def index():
            return render_template_string("<h1>ok</h1>")
    """,
    "views/api.py": """
        import os
        from flask import Blueprint, jsonify, request
        import config, models, utils
        api = Blueprint("api", __name__)
        @api.route("/todos")
        def todos():
            return jsonify([t.get("title") for t in models.recent(config.PAGE_SIZE)])
        @api.route("/upload", methods=["POST"])
        def upload():
            os.makedirs(config.UPLOADS, exist_ok=True)
            request.files["f"].save(os.path.join(config.UPLOADS, utils.safe_name(request.files["f"].filename)))
            return "ok"
    """,
    "utils.py": """
        import re
        def safe_name(name):
            return re.sub(r"[^A-Za-z0-9_.-]", "_", name or "file")
    """,
}


def small_app() -> Path:
    target = CACHE / "small-app"
    if target.is_dir():
        shutil.rmtree(target)
    write_files(target, SMALL_APP)
    return target


def peer(tool: str) -> Path:
    """The peer's command, installed into benchmarks/.cache/peers/<tool>/ on first use."""
    env = CACHE / "peers" / tool
    command = env / "bin" / tool
    if not command.exists():
        log(f"installing {PEERS[tool]} into {env}")
        venv.create(env, with_pip=True)
        subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", PEERS[tool]], check=True)
    return command


# -- measuring ---------------------------------------------------------------------------------------


def measure(cmd: list[str], env: dict[str, str], prepare=None) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB of the process and its waited-for children, exit code)."""
    if prepare is not None:
        prepare()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode


class Bench:
    def __init__(self, name: str, cmd: list[str], env: dict[str, str] | None = None, prepare=None) -> None:
        self.name, self.cmd, self.prepare = name, cmd, prepare
        self.env = {**os.environ, "NO_COLOR": "1", **(env or {})}
        self.walls: list[float] = []
        self.rss: list[float] = []
        self.codes: set[int] = set()

    def run_once(self) -> None:
        wall, rss, code = measure(self.cmd, self.env, self.prepare)
        self.walls.append(wall)
        self.rss.append(rss)
        self.codes.add(code)

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def median_rss(self) -> float:
        return statistics.median(self.rss)


def compile_lean_lint() -> None:
    """Write lean-lint's bytecode, as `pip install` does (even under PYTHONDONTWRITEBYTECODE): from
    an editable install with that variable set, every run would compile lean-lint's modules again,
    a cost no installed copy (the Action's image, `pip install lean-lint`) pays. The peers and
    libcst are installed from wheels, with their bytecode."""
    import analyzer

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(analyzer.__file__).parent)], check=True,
                   stdout=subprocess.DEVNULL)


def lean_lint(path: Path, cache_dir: Path, cold: bool, *extra: str) -> tuple[list[str], dict[str, str], object]:
    cmd = [sys.executable, "-m", "analyzer", str(path), "--fail-on", "never", *extra]

    def wipe() -> None:
        shutil.rmtree(cache_dir, ignore_errors=True)

    return cmd, {"LEAN_LINT_CACHE_DIR": str(cache_dir)}, (wipe if cold else None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-peers", action="store_true", help="only lean-lint and the import baselines")
    parser.add_argument("--fixit-on-large", action="store_true", help="also run Fixit on Django (minutes per run)")
    args = parser.parse_args()

    CACHE.mkdir(exist_ok=True)
    django = django_tree()
    doubled = doubled_tree(django)
    vendored = vendored_tree(django)
    small = small_app()
    caches = Path(tempfile.mkdtemp(prefix="lean-lint-bench-"))
    py = sys.executable
    compile_lean_lint()

    benches: list[Bench] = []

    def add(name: str, cmd: list[str], env=None, prepare=None) -> Bench:
        bench = Bench(name, cmd, env, prepare)
        benches.append(bench)
        return bench

    large_cold = add("lean-lint, Django, cold", *lean_lint(django, caches / "large-cold", True))
    large_warm = add("lean-lint, Django, warm", *lean_lint(django, caches / "large-warm", False))
    double_cold = add("lean-lint, 2x Django, cold", *lean_lint(doubled, caches / "double-cold", True))
    vendored_cold = add("lean-lint, vendored Django, cold (--no-cache)",
                        *lean_lint(vendored, caches / "vendored-cold", True, "--no-cache"))
    vendored_warm = add("lean-lint, vendored Django, warm", *lean_lint(vendored, caches / "vendored-warm", False))
    small_cold = add("lean-lint, small app, cold", *lean_lint(small, caches / "small-cold", True))
    small_warm = add("lean-lint, small app, warm", *lean_lint(small, caches / "small-warm", False))
    import_libcst = add('python -c "import libcst"', [py, "-c", "import libcst"])
    import_yaml = add('python -c "import yaml"', [py, "-c", "import yaml"])
    bandit = semgrep = vendored_bandit = None
    if not args.skip_peers:
        bandit_cmd, semgrep_cmd, fixit_cmd = str(peer("bandit")), str(peer("semgrep")), str(peer("fixit"))
        rules = str(HERE / "semgrep-rules.yml")
        semgrep_env = {"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
        bandit = add("bandit, Django", [bandit_cmd, "-r", "-q", str(django)])
        semgrep = add("semgrep (5 rules), Django", [semgrep_cmd, "scan", "--metrics=off", "--quiet", "--config", rules, str(django)], semgrep_env)
        vendored_bandit = add("bandit, vendored Django", [bandit_cmd, "-r", "-q", str(vendored)])
        add("bandit, small app", [bandit_cmd, "-r", "-q", str(small)])
        add("semgrep (5 rules), small app", [semgrep_cmd, "scan", "--metrics=off", "--quiet", "--config", rules, str(small)], semgrep_env)
        add("Fixit, small app", [fixit_cmd, "lint", str(small)])
        if args.fixit_on_large:
            add("Fixit, Django", [fixit_cmd, "lint", str(django)])

    # Fill the warm caches once before measuring.
    for bench in (large_warm, vendored_warm, small_warm):
        measure(bench.cmd, bench.env)
    for round_ in range(args.repeat):
        log(f"round {round_ + 1}/{args.repeat}")
        for bench in benches:
            bench.run_once()
    shutil.rmtree(caches, ignore_errors=True)

    print(f"\nMeasured {datetime.date.today().isoformat()} on {os.cpu_count()} cores "
          f"({platform.python_implementation()} {platform.python_version()}, {platform.machine()}); "
          f"median of {args.repeat} runs.\n")
    print("| command | wall time (s) | peak memory (MiB) |")
    print("|---|---:|---:|")
    for bench in benches:
        print(f"| {bench.name} | {bench.median:.3f} | {bench.median_rss:.0f} |")

    goals: list[tuple[str, float, float]] = [
        ("Django warm re-run / cold run", large_warm.median / large_cold.median, 0.1),
        ("vendored Django warm re-run / cold run", vendored_warm.median / vendored_cold.median, 0.1),
        ("small app cold / import libcst", small_cold.median / import_libcst.median, 1.5),
        ("small app warm / import yaml", small_warm.median / import_yaml.median, 1.2),
        ("2x Django cold / Django cold", double_cold.median / large_cold.median, 2.0),
    ]
    if bandit is not None:
        goals.insert(0, ("Django cold / bandit", large_cold.median / bandit.median, 0.5))
        goals.insert(1, ("Django cold / semgrep (aim, not a goal)", large_cold.median / semgrep.median, float("nan")))
        goals.insert(2, ("vendored Django cold / bandit", vendored_cold.median / vendored_bandit.median, 1.0))
        goals.append(("Django peak memory / bandit's", large_cold.median_rss / bandit.median_rss, 1.0))
        goals.append(("vendored Django peak memory / bandit's", vendored_cold.median_rss / vendored_bandit.median_rss, 2.0))
    print("\n| goal | ratio | limit | met |")
    print("|---|---:|---:|:---:|")
    for name, ratio, limit in goals:
        met = "" if limit != limit else ("yes" if ratio <= limit else "**no**")
        limit_text = "" if limit != limit else f"{limit:g}x"
        print(f"| {name} | {ratio:.2f}x | {limit_text} | {met} |")
    odd = [b.name for b in benches if b.codes - {0, 1}]
    if odd:
        print(f"\nNote: unexpected exit codes from: {', '.join(odd)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
