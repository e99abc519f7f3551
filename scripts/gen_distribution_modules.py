"""Write analyzer/platform/distribution_modules.json: what popular distributions install (the import
names their wheels put on sys.path, and the distributions they require), the data behind LE405.

    python scripts/gen_distribution_modules.py /opt/pypi/files --ranks pypi.tsv

Each argument is a wheel or a folder of wheels (`pip download --no-deps --only-binary=:all: -d DIR
NAME...` fetches them). A wheel is a zip file; nothing in it is run or imported. From each wheel:
- the import names: the top-level entries of its `RECORD` (what pip installs): `pkg/...` gives `pkg`,
  `mod.py` and `mod.cpython-311-x86_64-linux-gnu.so` give `mod`; a folder without `__init__.py` is a
  PEP 420 namespace (`google/`), so its sub-packages are recorded dotted (`google.protobuf`), down to
  three levels. `*.dist-info`, `*.data`, `__pycache__`, `.pth` files and the test/doc folders some
  wheels ship at the top (`tests`, `docs`...) are skipped.
- the required distributions: `Requires-Dist` lines of `METADATA` without an `extra ==` marker (other
  markers are kept: over-inclusive, so an import is never reported because of a Python-version switch).
For a distribution given several times, the newest wheel by file name wins. `--ranks FILE` (a TSV of
PyPI projects: name, version, month, rank among the most downloaded) stores each distribution's rank,
which orders the distributions suggested for an import name.
"""

from __future__ import annotations

import argparse
import json
import re
import zipfile
from email.parser import HeaderParser
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "analyzer" / "platform" / "distribution_modules.json"

_SKIP_TOP = {"tests", "test", "testing", "docs", "doc", "examples", "example", "benchmarks", "scripts", "__pycache__"}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.lower())


def _module_of(part: str) -> str | None:
    """`mod.py` / `mod.cpython-311-x86_64-linux-gnu.so` / `mod.abi3.so` -> `mod`."""
    for suffix in (".py", ".so", ".pyd"):
        if part.endswith(suffix):
            name = part.split(".", 1)[0]
            return name if _IDENT.match(name) else None
    return None


def import_names(paths: list[str]) -> set[str]:
    files = set(paths)
    names: set[str] = set()

    def walk(prefix: str, dotted: str, depth: int) -> None:
        children: set[str] = set()
        for path in paths:
            if path.startswith(prefix):
                rest = path[len(prefix):]
                head, sep, _ = rest.partition("/")
                if sep and _IDENT.match(head) and head != "__pycache__":
                    children.add(head)
                elif not sep and (module := _module_of(head)) and module != "__init__":
                    names.add(f"{dotted}.{module}")
        for child in children:
            if f"{prefix}{child}/__init__.py" in files or depth >= 3:
                names.add(f"{dotted}.{child}")
            else:
                walk(f"{prefix}{child}/", f"{dotted}.{child}", depth + 1)

    tops: set[str] = set()
    for path in paths:
        head, sep, _ = path.partition("/")
        if head.endswith((".dist-info", ".data")) or head in _SKIP_TOP:
            continue
        if sep:
            if _IDENT.match(head):
                tops.add(head)
        elif (module := _module_of(head)) and module not in _SKIP_TOP:
            names.add(module)
    for top in tops:
        if f"{top}/__init__.py" in files or any(p.startswith(f"{top}/__init__.") for p in paths):
            names.add(top)
        else:
            walk(f"{top}/", top, 2)
            if not any(n == top or n.startswith(top + ".") for n in names):
                names.add(top)  # a folder of data or stubs only: the name is still taken
    return names


def read_wheel(path: Path) -> tuple[str, str, list[str], list[str]]:
    """(project name, version, import names, required distributions) of one wheel."""
    with zipfile.ZipFile(path) as wheel:
        info = [n for n in wheel.namelist() if n.count("/") == 1 and n.split("/")[0].endswith(".dist-info")]
        meta_name = next(n for n in info if n.endswith("/METADATA"))
        record_name = next((n for n in info if n.endswith("/RECORD")), None)
        meta = HeaderParser().parsestr(wheel.read(meta_name).decode("utf-8", "replace"))
        if record_name:
            paths = [line.split(",", 1)[0] for line in wheel.read(record_name).decode("utf-8", "replace").splitlines()]
        else:
            paths = wheel.namelist()
    requires = []
    for line in meta.get_all("Requires-Dist") or ():
        if re.search(r"\bextra\s*==", line.partition(";")[2]):
            continue
        match = _REQ_NAME.match(line)
        if match:
            requires.append(normalize(match.group(1)))
    return meta["Name"], meta["Version"], sorted(import_names(paths)), sorted(set(requires))


def read_ranks(path: Path) -> dict[str, int]:
    ranks = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        column = next(i for i, h in enumerate(header) if h.startswith("rank"))
        for line in handle:
            cells = line.rstrip("\n").split("\t")
            if len(cells) > column and cells[column].strip().isdigit():
                ranks[normalize(cells[0])] = int(cells[column])
    return ranks


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else -1 for p in re.split(r"[.+-]", version))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("wheels", nargs="+", type=Path, help="wheel files or folders of wheels")
    parser.add_argument("--ranks", type=Path, help="TSV of PyPI projects with their download rank")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    files = sorted(p for arg in args.wheels for p in ([arg] if arg.is_file() else arg.glob("*.whl")))
    ranks = read_ranks(args.ranks) if args.ranks else {}
    found: dict[str, dict] = {}
    for path in files:
        name, version, modules, requires = read_wheel(path)
        key = normalize(name)
        if key in found and _version_key(found[key]["version"]) >= _version_key(version):
            continue
        found[key] = {"name": name, "version": version, "modules": modules, "requires": requires}
    distributions = {}
    for key in sorted(found):
        entry = found[key]
        if not entry["modules"]:
            continue  # a meta-distribution: it installs only what it requires
        row = {"name": entry["name"], "modules": entry["modules"], "requires": entry["requires"]}
        if key in ranks:
            row["rank"] = ranks[key]
        distributions[key] = row
    doc = {
        "about": "Import names and requirements of distributions, from their wheels (scripts/gen_distribution_modules.py).",
        "wheels": {k: f"{v['name']}=={v['version']}" for k, v in sorted(found.items())},
        "distributions": distributions,
    }
    args.out.write_text(json.dumps(doc, indent=None, separators=(",", ":"), sort_keys=False) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(distributions)} distributions from {len(files)} wheels")


if __name__ == "__main__":
    main()
