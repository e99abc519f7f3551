"""analyzer.model.requirements: reading requirements.txt like pip, and the LE4xx rules end to end."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.readers.config import Config
from analyzer.model.project import Project
from analyzer.model.requirements import (
    _FAST_LINE_RE,
    _Reader,
    _strip_comment,
    _strip_extras,
    project_requirements,
    upper_bound_suggestion,
)
from analyzer.support.names import normalize_name
from tests.helpers import located, run, write_project


def read(tmp_path, files, fast=True):
    write_project(tmp_path, files)
    project = Project(tmp_path, Config())
    return _Reader(project, fast=fast).read() if not fast else project_requirements(project)


def entry_tuple(e):
    return (e.path, e.line, e.column, e.end_line, e.end_column, e.raw, e.name, e.normalized, e.ops, e.extras,
            e.marker_text, e.url, e.local_path, e.editable, e.constraint, e.hashes, e.spec_end)


# -- the public API -------------------------------------------------------------------------------------


def test_entries_names_and_positions(tmp_path):
    reqs = read(tmp_path, {
        "requirements.txt": (
            "# web\n"
            "Flask_SQLAlchemy>=3.0,<4  # orm\n"
            "  requests[socks, security] >= 2.31 ; python_version >= \"3.8\"\n"
            "-c constraints.txt\n"
            "git+https://github.com/x/y.git#egg=Y_Lib\n"
            "-e .\n"
        ),
        "constraints.txt": "urllib3<2\n",
        "setup.py": "",
    })
    assert reqs.files == ["requirements.txt", "constraints.txt"]
    flask, requests, urllib3, ylib, local = reqs.entries
    assert (flask.line, flask.column, flask.end_column, flask.raw) == (2, 1, 25, "Flask_SQLAlchemy>=3.0,<4")
    assert flask.normalized == "flask-sqlalchemy" and flask.ops == ((">=", "3.0"), ("<", "4"))
    assert str(flask.specifier) == "<4,>=3.0" and flask.has_upper_bound
    assert (requests.line, requests.column, requests.end_column) == (3, 3, 62)
    assert requests.extras == frozenset({"socks", "security"})
    assert requests.marker_text == 'python_version >= "3.8"' and str(requests.marker) == 'python_version >= "3.8"'
    assert urllib3.constraint and urllib3.path == "constraints.txt"
    assert ylib.name == "Y_Lib" and ylib.url == "git+https://github.com/x/y.git#egg=Y_Lib" and ylib.specifier is None
    assert local.editable and local.local_path == "." and local.name is None
    assert reqs.names == frozenset({"flask-sqlalchemy", "requests", "y-lib"})
    assert reqs.has("flask.sqlalchemy") and reqs.has("Y-LIB") and not reqs.has("urllib3")
    assert reqs.unnamed == [local]
    assert reqs.by_name("FLASK_sqlalchemy") == [flask]


def test_result_is_shared_through_the_project(tmp_path):
    write_project(tmp_path, {"requirements.txt": "six<2\n"})
    project = Project(tmp_path, Config())
    assert project_requirements(project) is project_requirements(project) is project.requirements_set


def test_no_requirements_file(tmp_path):
    reqs = read(tmp_path, {"wsgi.py": ""})
    assert (reqs.files, reqs.entries, reqs.problems, reqs.names) == ([], [], [], frozenset())


def test_normalize_name():
    assert normalize_name("Flask_SQLAlchemy") == normalize_name("flask-sqlalchemy") == "flask-sqlalchemy"
    assert normalize_name("zope.interface") == "zope-interface"
    assert normalize_name("A__b--C..d") == "a-b-c-d"


def test_continuation_lines_hashes_bom_and_crlf(tmp_path):
    reqs = read(tmp_path, {
        "requirements.txt": (
            b"\xef\xbb\xbfnumpy==1.26.4 \\\r\n"
            b"    --hash=sha256:aaaa \\\r\n"
            b"    --hash=sha256:bbbb\r\n"
            b"Django>=4.2,\\\r\n"
            b"<5\r\n"
        )
    })
    numpy, django = reqs.entries
    assert (numpy.line, numpy.column, numpy.end_line, numpy.end_column) == (1, 1, 1, 14)
    assert numpy.hashes == ("sha256:aaaa", "sha256:bbbb")
    assert (django.line, django.column, django.end_line, django.end_column) == (4, 1, 5, 3)
    assert django.ops == ((">=", "4.2"), ("<", "5"))
    assert reqs.problems == []


def test_comment_glued_to_text_is_not_a_comment(tmp_path):
    reqs = read(tmp_path, {"requirements.txt": "git+https://h/r.git#egg=r # real comment\n"})
    assert reqs.entries[0].url == "git+https://h/r.git#egg=r"


def test_local_paths_resolve_from_the_build_root_not_the_including_file(tmp_path):
    files = {
        "requirements.txt": "-r reqs/base.txt\n",
        "reqs/base.txt": "./libs/pkg\n./pkg\n",
        "libs/pkg/setup.py": "",
        "reqs/pkg/setup.py": "",
        "leanengine.yaml": "install:\n  - {require: [reqs, libs]}\n  - {use: default}\n",
    }
    write_project(tmp_path, files)
    report = run(tmp_path, select=("LE403",))
    assert located(report, "LE403", with_message=True) == [
        "reqs/base.txt:2:1: `./pkg` does not exist (from the build root, where pip runs): pip "
        "install fails on the platform"
    ]


def test_build_root(tmp_path):
    write_project(tmp_path, {
        "leanengine.yaml": "buildRoot: api\n",
        "api/requirements.txt": "flask\n-r extra.txt\n",
        "api/extra.txt": "six<2\n",
        "requirements.txt": "ignored\n",
    })
    reqs = project_requirements(Project(tmp_path, Config()))
    assert reqs.files == ["api/requirements.txt", "api/extra.txt"]
    report = run(tmp_path, select=("LE401", "LE403"))
    assert located(report) == ["api/requirements.txt:1:1", "api/requirements.txt:2:1"]
    assert [f.severity.label for f in report.active] == ["warning", "warning"]


# -- -r cycles ------------------------------------------------------------------------------------------


def test_include_cycle_two_files(tmp_path):
    write_project(tmp_path, {
        "requirements.txt": "-r a.txt\n",
        "a.txt": "six<2\n-r b.txt\n",
        "b.txt": "# back\n-r a.txt\nattrs<24\n",
    })
    reqs = project_requirements(Project(tmp_path, Config()))
    assert reqs.files == ["requirements.txt", "a.txt", "b.txt"]
    assert [e.name for e in reqs.entries] == ["six", "attrs"]
    report = run(tmp_path, select=("LE402",))
    assert located(report, "LE402", with_message=True) == [
        "b.txt:2:1: `-r a.txt` includes itself (a.txt -> b.txt -> a.txt): pip install fails on the "
        "platform"
    ]


def test_self_include(tmp_path):
    write_project(tmp_path, {"requirements.txt": "six<2\n--requirement=./requirements.txt\n"})
    reqs = project_requirements(Project(tmp_path, Config()))
    assert reqs.files == ["requirements.txt"] and len(reqs.entries) == 1
    report = run(tmp_path, select=("LE402",))
    assert located(report, "LE402", with_message=True) == [
        "requirements.txt:2:1: `-r ./requirements.txt` includes itself (requirements.txt -> "
        "requirements.txt): pip install fails on the platform"
    ]


def test_file_included_twice_is_read_once_and_is_no_cycle(tmp_path):
    write_project(tmp_path, {
        "requirements.txt": "-r a.txt\n-r b.txt\n",
        "a.txt": "-r common.txt\n",
        "b.txt": "-r common.txt\n",
        "common.txt": "six<2\n",
    })
    reqs = project_requirements(Project(tmp_path, Config()))
    assert reqs.files == ["requirements.txt", "a.txt", "common.txt", "b.txt"]
    assert len(reqs.entries) == 1
    assert located(run(tmp_path, select=("LE402", "LE404"))) == []


# -- LE402 / LE403 details ------------------------------------------------------------------------------


def test_directory_as_include(tmp_path):
    write_project(tmp_path, {"requirements.txt": "-r reqs\n", "reqs/base.txt": ""})
    report = run(tmp_path, select=("LE403",))
    assert located(report, "LE403", with_message=True) == [
        "requirements.txt:1:1: `-r reqs`: `reqs` is a directory; pip cannot read it as a requirements file"
    ]


def test_environment_variables_need_expose_on_build(tmp_path):
    line = "private @ https://${USER_NAME}:${TOKEN}@git.example.com/private-1.0.tar.gz\n"
    write_project(tmp_path, {"requirements.txt": line})
    report = run(tmp_path, select=("LE402",))
    assert located(report, "LE402", with_message=True) == [
        "requirements.txt:1:19: `${USER_NAME}`, `${TOKEN}` is not substituted: the platform hides "
        "the app's variables from the build by default"
    ]
    assert report.active[0].severity.label == "warning"
    write_project(tmp_path, {"leanengine.yaml": "exposeEnvironmentsOnBuild: true\n"})
    assert located(run(tmp_path, select=("LE402",))) == []


def test_oversized_requirements_file_is_not_analyzed(tmp_path):
    write_project(tmp_path, {"requirements.txt": "-r big.txt\n", "big.txt": "# x\n" * 700_000})
    project = Project(tmp_path, Config())
    reqs = project_requirements(project)
    assert reqs.files == ["requirements.txt"]
    assert [(path, why.split(",")[0]) for path, why in project.unanalyzed] == [("big.txt", "it is 2")]


def test_messages_for_common_mistakes(tmp_path):
    write_project(tmp_path, {"requirements.txt": "Django~=4\nflask==2.0 --hash=md5:00\n--pr\n-e\n"})
    report = run(tmp_path, select=("LE402",))
    assert located(report, "LE402", with_message=True) == [
        "requirements.txt:1:7: invalid requirement `Django~=4` (`~=` needs at least two version "
        "parts): pip install fails on the platform",
        "requirements.txt:2:12: pip rejects the options: --hash takes sha256, sha384, sha512 "
        "hashes, not 'md5': pip install fails on the platform",
        "requirements.txt:3:1: `--pr` is an ambiguous abbreviation of several pip options: pip "
        "install fails on the platform",
        "requirements.txt:4:1: `-e` needs a path or VCS URL after it: pip install fails on the "
        "platform",
    ]


def test_python_rules_skipped_for_other_runtimes(tmp_path):
    write_project(tmp_path, {"requirements.txt": "flask\n-r missing.txt\nx=1\n", "leanengine.yaml": "runtime: php\n"})
    assert located(run(tmp_path, select=("LE4",))) == []


# -- LE401 suggestions ----------------------------------------------------------------------------------


def test_upper_bound_suggestions(tmp_path):
    reqs = read(tmp_path, {
        "requirements.txt": (
            "a>=1.2.3\nb>0.9\nc>=1!2.0\nd>=2.0rc1,!=2.1\ne (>=3.0)\nf[x]>=4 ; os_name == 'posix'\ng\nh!=1.0\n"
            "i>=1.0,>=2.5\n"
        )
    })
    assert [upper_bound_suggestion(e) for e in reqs.entries] == [
        "a>=1.2.3,<N",
        "b>0.9,<N",
        "c>=1!2.0,<N",
        "d>=2.0rc1,!=2.1,<N",
        "e (>=3.0,<N)",
        "f[x]>=4,<N ; os_name == 'posix'",
        "g<N",
        "h!=1.0,<N",
        "i>=1.0,>=2.5,<N",
    ]
    assert upper_bound_suggestion(reqs.entries[0], "<4") == "a>=1.2.3,<4"


def test_le401_bounded_elsewhere_only_without_marker(tmp_path):
    write_project(tmp_path, {"requirements.txt": "numpy>=1.20\nnumpy<2; python_version < '3.9'\n"})
    assert located(run(tmp_path, select=("LE401",))) == ["requirements.txt:1:1"]


# -- speed ----------------------------------------------------------------------------------------------


def test_hundred_thousand_lines(tmp_path):
    """Reading is linear: 100,000 lines, half in requirements.txt, half across two included files
    with extras, markers and comments. Nothing about time is asserted: a quadratic reader would make
    this test crawl (reading takes about a second on an idle machine)."""
    main = "".join(f"p{i}>=1.{i % 10},<2\n" for i in range(50_000)) + "-r more1.txt\n-r more2.txt\n"
    more = {f"more{k}.txt": "".join(f"q{k}-{i}[x] >= 2.{i % 7} ; python_version >= '3.8'  # c\n"
                                    for i in range(25_000)) for k in (1, 2)}
    write_project(tmp_path, {"requirements.txt": main, **more})
    reqs = project_requirements(Project(tmp_path, Config()))
    assert len(reqs.entries) == 100_000 and len(reqs.names) == 100_000
    assert [p.severity.label for p in reqs.problems] == ["warning", "warning"]  # the -r files need `require:`


def test_adversarial_lines_do_not_backtrack(tmp_path):
    """Inputs that make naive regular expressions quadratic (long runs of spaces, brackets, dashes)."""
    text = "\n".join([
        "x" + " " * 200_000 + "!",
        "x;" + "a " * 100_000 + ";",
        "a" + "-" * 200_000,
        "./p" + "[" * 200_000 + "x]",
        "y" + " " * 200_000 + "# done",
        "z>=1" + " ," * 100_000,
    ]) + "\n"
    write_project(tmp_path, {"requirements.txt": text})
    reqs = project_requirements(Project(tmp_path, Config()))
    assert len(reqs.problems) == 5 and [e.name for e in reqs.entries] == ["y"]


# -- the fast path agrees with the general one ----------------------------------------------------------

_names = st.sampled_from(["flask", "Flask_SQLAlchemy", "zope.interface", "a", "x-1", "foo_", "-bad", "a..b"])
_ops = st.sampled_from(["==", "!=", ">=", "<=", "<", ">", "~=", "===", "=", ">>"])
_versions = st.sampled_from(["1", "1.0", "2.0.1", "1.*", "1.0.*", "2.0rc1", "1.0.post1", "3.dev2", "1.0+local",
                             "v1.0", "latest", "1.0-SNAPSHOT", ""])
_spaces = st.sampled_from(["", " ", "  ", "\t"])


@st.composite
def requirement_lines(draw):
    line = draw(_spaces) + draw(_names)
    if draw(st.booleans()):
        line += draw(_spaces) + "[" + draw(st.sampled_from(["x", "x,y", " x , y ", "", "x,"])) + "]"
    for i in range(draw(st.integers(0, 3))):
        line += (draw(_spaces) + "," if i else draw(_spaces)) + draw(_ops) + draw(_spaces) + draw(_versions)
    if draw(st.booleans()):
        line += draw(_spaces) + ";" + draw(st.sampled_from([' python_version < "3.8"', "", "os_name=='nt' and",
                                                              " extra == 'a'"]))
    if draw(st.booleans()):
        line += draw(st.sampled_from(["  # comment", "#glued", " #"]))
    return line + draw(_spaces)


@settings(max_examples=300, deadline=None)
@given(st.lists(requirement_lines(), min_size=1, max_size=4))
def test_fast_path_matches_general_path(tmp_path_factory, lines):
    root = tmp_path_factory.mktemp("fast")
    files = {"requirements.txt": "\n".join(lines) + "\n"}
    fast, slow = read(root, files, fast=True), read(root, files, fast=False)
    assert [entry_tuple(e) for e in fast.entries] == [entry_tuple(e) for e in slow.entries]
    assert [(p.code, p.span, p.message) for p in fast.problems] == [(p.code, p.span, p.message) for p in slow.problems]


def test_fast_path_only_takes_what_packaging_accepts():
    from packaging.requirements import Requirement

    for text in ["flask>=1.0,<2", "Flask [async] >= 2", "a~=1.0.0", "b==1.*", "c!=2.0.post1", "d<=3rc1"]:
        match = _FAST_LINE_RE.match(text)
        assert match, text
        req = Requirement(text)
        assert (req.name, str(req.specifier)) == (match.group("name"), str(req.specifier))


_pip_comment = re.compile(r"(^|\s+)#.*$")
_pip_extras = re.compile(r"^(.+)(\[[^\]]+\])$")


@given(st.text(alphabet=" \t#ab[]", max_size=30))
def test_strip_comment_and_extras_match_pips_regular_expressions(text):
    assert _strip_comment(text).strip() == _pip_comment.sub("", text).strip()
    match = _pip_extras.match(text)
    assert _strip_extras(text) == ((match.group(1), match.group(2)) if match else (text, None))
