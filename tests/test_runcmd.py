"""The `run:` command line: shell splitting with positions, the program, and where servers listen."""

from __future__ import annotations

import pytest

from analyzer.types import Span
from analyzer.readers.runline import (
    expand,
    expand_value,
    is_loopback,
    literal_port,
    parse_run_command,
    split_commands,
    split_host_port,
    tokenize,
    yaml_span,
)
from analyzer.readers.yaml_doc import load_yaml


@pytest.mark.parametrize(
    "text,commands",
    [
        ("python app.py", [["python", "app.py"]]),
        ("cd api && exec python app.py", [["cd", "api"], ["python", "app.py"]]),
        ("a; b || c | d & e", [["a"], ["b"], ["c"], ["d"], ["e"]]),
        ("pip install x\npython app.py", [["pip", "install", "x"], ["python", "app.py"]]),
        ("python \\\n  app.py", [["python", "app.py"]]),
        ("python app.py > log 2>&1", [["python", "app.py"]]),
        ("python app.py &> log", [["python", "app.py"]]),
        ("echo 'a b' \"c $X d\" e\\ f", [["echo", "a b", "c $X d", "e f"]]),
        ("echo ${A:-x y}z", [["echo", "${A:-x y}z"]]),
        ("python app.py # comment", [["python", "app.py"]]),
        ("nohup env -i A=1 python x.py", [["A=1", "python", "x.py"]]),
        ("echo 'unbalanced", []),
    ],
)
def test_split_commands(text, commands):
    assert split_commands(text) == commands


def test_word_offsets_through_quotes():
    text = """gunicorn -b "0.0.0.0:$P" 'a'b"""
    (words,) = tokenize(text)
    bind = words[2]
    assert bind.text == "0.0.0.0:$P"
    start, end = bind.span(8, 10)
    assert text[start:end] == "$P"
    assert words[3].text == "ab" and words[3].span() == (26, 29)
    assert (words[3].start, words[3].end) == (25, 29)


@pytest.mark.parametrize(
    "text,tool,module,script,attr",
    [
        ("python app.py", "python", None, "app.py", None),
        ("python3 -u -m pkg.main --x", "python", "pkg.main", None, None),
        ("python -m gunicorn wsgi:app", "gunicorn", "wsgi", None, "app"),
        ("gunicorn -w 4 -b :3000 wsgi:application", "gunicorn", "wsgi", None, "application"),
        ("uvicorn main:app --port 1", "uvicorn", "main", None, "app"),
        ("uwsgi --http :3000 --wsgi-file wsgi.py", "uwsgi", None, "wsgi.py", None),
        ("FLASK_APP=hello.py flask run", "flask", None, "hello.py", None),
        ("flask --app web:create_app run", "flask", "web", None, "create_app"),
        ("python manage.py runserver 0.0.0.0:3000", "django-runserver", None, "manage.py", None),
        ("sh -c 'python app.py'", "python", None, "app.py", None),
        ("node server.js", "", None, None, None),
    ],
)
def test_program(text, tool, module, script, attr):
    run = parse_run_command(text)
    assert (run.tool, run.module, run.script, run.app_attr) == (tool, module, script, attr)


def listens(text):
    run = parse_run_command(text)
    out = []
    for listen in run.listens:
        host = text[listen.host.start : listen.host.end] if listen.host and not listen.host.via_env else None
        port = text[listen.port.start : listen.port.end] if listen.port and not listen.port.via_env else None
        out.append(
            (
                listen.option,
                listen.host.raw if listen.host else None,
                host,
                listen.port.raw if listen.port else None,
                port,
                listen.default_host,
                listen.default_port,
                listen.http,
            )
        )
    return out


@pytest.mark.parametrize(
    "text,expected",
    [
        ("gunicorn app:app", [("", None, None, None, None, "127.0.0.1", "8000", True)]),
        ("gunicorn -b 0.0.0.0:8000 app:app", [("-b", "0.0.0.0", "0.0.0.0", "8000", "8000", None, "8000", True)]),
        ("gunicorn --bind=127.0.0.1 app:app", [("--bind", "127.0.0.1", "127.0.0.1", None, None, None, "8000", True)]),
        ("gunicorn -b [::1]:${LEANCLOUD_APP_PORT} a:b", [("-b", "[::1]", "[::1]", "${LEANCLOUD_APP_PORT}", "${LEANCLOUD_APP_PORT}", None, "8000", True)]),
        ("gunicorn -b unix:/tmp/s a:b", []),
        ("gunicorn -b 0.0.0.0:${PORT:-3000} a:b", [("-b", "0.0.0.0", "0.0.0.0", "${PORT:-3000}", "${PORT:-3000}", None, "8000", True)]),
        ("uvicorn m:app --host 0.0.0.0 --port=8000", [("--host", "0.0.0.0", "0.0.0.0", "8000", "8000", "127.0.0.1", "8000", True)]),
        ("uvicorn m:app --uds /tmp/x", []),
        ("hypercorn -b 127.0.0.1:5000 m:app", [("-b", "127.0.0.1", "127.0.0.1", "5000", "5000", None, "8000", True)]),
        ("daphne -b 0.0.0.0 -p 8001 p.asgi:application", [("--bind", "0.0.0.0", "0.0.0.0", "8001", "8001", "127.0.0.1", "8000", True)]),
        ("waitress-serve --listen=*:8080 w:app", [("--listen", "*", "*", "8080", "8080", None, None, True)]),
        ("waitress-serve --port=$LEANCLOUD_APP_PORT w:app", [("", None, None, "$LEANCLOUD_APP_PORT", "$LEANCLOUD_APP_PORT", "0.0.0.0", "8080", True)]),
        ("uwsgi --http :3000 --wsgi-file wsgi.py", [("--http", "", ":3000", "3000", "3000", "", None, True)]),
        ("uwsgi --http-socket=127.0.0.1:3000 --module w", [("--http-socket", "127.0.0.1", "127.0.0.1", "3000", "3000", "", None, True)]),
        ("uwsgi --socket :3000 --module w", [("--socket", "", ":3000", "3000", "3000", "", None, False)]),
        ("flask run -h 0.0.0.0 -p 5000", [("--host", "0.0.0.0", "0.0.0.0", "5000", "5000", "127.0.0.1", "5000", True)]),
        ("flask run", [("", None, None, None, None, "127.0.0.1", "5000", True)]),
        ("python manage.py runserver", [("", None, None, None, None, "127.0.0.1", "8000", True)]),
        ("python manage.py runserver 8000", [("addrport", None, None, "8000", "8000", "127.0.0.1", "8000", True)]),
        ("python manage.py runserver 0:8000", [("addrport", "0.0.0.0", "0", "8000", "8000", "127.0.0.1", "8000", True)]),
        ("python manage.py runserver -6 [::1]:8000", [("addrport", "[::1]", "[::1]", "8000", "8000", "::1", "8000", True)]),
        ("python -m http.server 8000 --bind 127.0.0.1", [("", "127.0.0.1", "127.0.0.1", "8000", "8000", "", "8000", True)]),
        ("python app.py --port 8000", []),
    ],
)
def test_listens(text, expected):
    assert listens(text) == expected


def test_listen_from_env_prefix():
    run = parse_run_command("FLASK_RUN_HOST=127.0.0.1 FLASK_RUN_PORT=$LEANCLOUD_APP_PORT flask run")
    (listen,) = run.listens
    assert listen.host.raw == "127.0.0.1" and listen.host.via_env == "FLASK_RUN_HOST"
    assert run.text[listen.host.start : listen.host.end] == "127.0.0.1"
    assert run.expand(listen.port.raw).reads == ("LEANCLOUD_APP_PORT",)


def test_gunicorn_port_variable_means_all_interfaces():
    run = parse_run_command("export PORT=$LEANCLOUD_APP_PORT && gunicorn app:app")
    (listen,) = run.listens
    assert listen.host.raw == "0.0.0.0"
    assert run.expand(listen.port.raw).reads == ("LEANCLOUD_APP_PORT",)


def test_sh_c_offsets_point_into_the_outer_text():
    text = "sh -c 'exec gunicorn -b 127.0.0.1:80 a:b'"
    run = parse_run_command(text)
    (listen,) = run.listens
    assert text[listen.host.start : listen.host.end] == "127.0.0.1"
    assert text[listen.port.start : listen.port.end] == "80"
    assert run.text == text


@pytest.mark.parametrize(
    "raw,env,text,reads,unset",
    [
        ("8000", {}, "8000", (), ()),
        ("$LEANCLOUD_APP_PORT", {}, None, ("LEANCLOUD_APP_PORT",), ()),
        ("${LEANCLOUD_APP_PORT:-3000}", {}, None, ("LEANCLOUD_APP_PORT",), ()),
        ("${PORT:-3000}", {}, "3000", (), ("PORT",)),
        ("$PORT", {}, None, (), ()),
        ("$PORT", {"PORT": "$LEANCLOUD_APP_PORT"}, None, ("LEANCLOUD_APP_PORT",), ()),
        ("$PORT", {"PORT": "5000"}, "5000", (), ()),
        ("$(cat port)", {}, None, (), ()),
    ],
)
def test_expand_value(raw, env, text, reads, unset):
    value = expand_value(raw, env)
    assert (value.text, value.reads, value.assumes_unset) == (text, reads, unset)


def test_expand_keeps_its_contract():
    assert expand("-b :${LEANCLOUD_APP_PORT}") == "-b :3000"
    assert expand("$OTHER") is None
    assert expand("${OTHER:-1}") == "1"


@pytest.mark.parametrize(
    "host,loopback",
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("127.1", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("::1", True),
        ("[::1]", True),
        ("ip6-localhost", True),
        ("::ffff:127.0.0.1", True),
        (b"127.0.0.1", True),
        ("0.0.0.0", False),
        ("", False),
        ("::", False),
        ("*", False),
        ("10.0.0.1", False),
        ("example.com", False),
        (None, False),
        (3000, False),
    ],
)
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_literal_port():
    assert literal_port(3000) == 3000 and literal_port("8000") == 8000
    assert literal_port(True) is None and literal_port("$P") is None and literal_port(None) is None


def test_split_host_port():
    assert split_host_port("0.0.0.0:80") == (7, 8)
    assert split_host_port("[::1]:80") == (5, 6)
    assert split_host_port("::1") == (3, None)
    assert split_host_port("${H:-x}:${P:-1}") == (7, 8)
    assert split_host_port("host") == (4, None)


@pytest.mark.parametrize(
    "yaml_text,start,end,span",
    [
        ("run: gunicorn -b 0.0.0.0:8000 a:b\n", 20, 24, Span(1, 26, 1, 30)),
        ("run: 'gunicorn -b 0.0.0.0:8000 a:b'\n", 20, 24, Span(1, 27, 1, 31)),
        ('run: "gunicorn -b 0.0.0.0:8000 a:b"\n', 20, 24, Span(1, 27, 1, 31)),
        ("x: 1\nrun:   gunicorn a:b   # c\n", 0, 8, Span(2, 8, 2, 16)),
        ('run: "gunicorn -b \\"h\\" a:b"\n', 12, 15, Span(1, 6, 1, 7)),
        ("run: >\n  gunicorn\n  -b 0.0.0.0:8000\n", 12, 19, Span(1, 6, 1, 7)),
    ],
)
def test_yaml_span(yaml_text, start, end, span):
    assert yaml_span(load_yaml(yaml_text), start, end) == span


from hypothesis import given, settings
from hypothesis import strategies as st

_SHELL_CHARS = st.sampled_from(list("ab:-_=$ {}()\"'\\;&|<>#\n\t0.*`") + ["gunicorn", "-b", "${P:-1}", "sh -c "])


@settings(max_examples=300, deadline=None)
@given(st.lists(_SHELL_CHARS, max_size=40).map("".join))
def test_tokenize_offsets_point_at_their_characters(text):
    commands = tokenize(text)
    if commands is None:
        return
    for words in commands:
        for word in words:
            assert len(word.offsets) == len(word.text)
            for char, offset in zip(word.text, word.offsets):
                assert text[offset] == char
    parse_run_command(text)  # never raises
