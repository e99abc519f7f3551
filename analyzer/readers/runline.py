"""Understanding leanengine.yaml's `run:` command line without running it.

The platform runs `run:` with a shell. lean-lint splits it like a shell (quotes, `\\` escapes, `&&`,
`;`, `||`, `|`, newlines, redirections, `exec`, `VAR=value` prefixes, `sh -c '...'`), takes the last
command as the long-running program, and recognizes the servers users start: `python app.py`,
`python -m pkg.mod`, gunicorn, uvicorn, hypercorn, daphne, waitress-serve, uwsgi, `flask run`,
`python manage.py runserver` and `python -m http.server`.

Every word keeps the offset of each of its characters in the `run:` text, so a finding about `8000` in
`-b 0.0.0.0:8000` can point at that exact column of leanengine.yaml (`yaml_span`).
`${VAR}` and `$VAR` stay in the words as written; `expand()` / `expand_value()` substitute what the
command line or the platform sets.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass, field
from typing import Any

from analyzer.platform.environment import PLATFORM_ENV, PLATFORM_VARS
from analyzer.readers.yaml_doc import node_span
from analyzer.types import Span

PYTHON_RE = re.compile(r"^(?:.*/)?python(?:\d+(?:\.\d+)?)?$")
SERVER_TOOLS = ("gunicorn", "uvicorn", "hypercorn", "daphne", "waitress-serve", "uwsgi", "flask")
_ENV_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_APP_REF_RE = re.compile(r"^([A-Za-z_][\w.]*)(?::([A-Za-z_][\w.]*)(\(.*\))?)?$")
_PREFIX_WORDS = ("exec", "nohup", "time", "env", "command")
_SHELLS = ("sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/env sh", "dash", "/bin/dash")


# -- words with positions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A shell word after quote removal (variables kept as written), with the offset in the `run:`
    text of each of its characters."""

    text: str
    offsets: tuple[int, ...]
    start: int  # the word's range in the run text, quotes included; end exclusive
    end: int

    def span(self, i: int = 0, j: int | None = None) -> tuple[int, int]:
        """The run-text range of text[i:j] (the word's own range when that part is empty)."""
        j = len(self.text) if j is None else j
        if not self.offsets or i >= j or i >= len(self.offsets):
            return self.start, self.end
        return self.offsets[i], self.offsets[min(j, len(self.offsets)) - 1] + 1

    def __str__(self) -> str:
        return self.text


def tokenize(text: str, base: tuple[int, ...] | None = None) -> list[list[Word]] | None:
    """Split `text` into simple commands of words, like a POSIX shell (no expansion). `base` maps
    each character of `text` to its offset in an outer text (for `sh -c '...'`). Redirections and
    their targets are dropped. None when quotes are unbalanced (the command is then unknown)."""

    def off(i: int) -> int:
        if base is None:
            return i
        return base[i] if i < len(base) else (base[-1] + 1 if base else i)

    commands: list[list[Word]] = [[]]
    chars: list[str] = []
    offs: list[int] = []

    def take(a: int, b: int) -> None:
        """Append text[a:b] to the current word, with each character's offset."""
        for k in range(a, b):
            chars.append(text[k])
            offs.append(off(k))

    start: int | None = None
    end = 0
    skip_next_word = False
    n = len(text)
    i = 0

    def finish() -> None:
        nonlocal chars, offs, start, skip_next_word
        if start is not None:
            if skip_next_word:
                skip_next_word = False
            else:
                commands[-1].append(Word("".join(chars), tuple(offs), off(start), off(end - 1) + 1 if end else off(start)))
        chars, offs, start = [], [], None

    def separate() -> None:
        finish()
        if commands[-1]:
            commands.append([])

    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] == "\n":
            i += 2  # line continuation
            continue
        if c in " \t\r":
            finish()
            i += 1
            continue
        if c == "\n":
            separate()
            i += 1
            continue
        if c == "#" and start is None:
            while i < n and text[i] != "\n":
                i += 1
            continue
        if c in "<>" or (c == "&" and i + 1 < n and text[i + 1] == ">"):
            # A redirection: `2>&1`, `> log`, `>>log`, `&> log`, `< in`.
            if start is not None and "".join(chars).isdigit():
                chars, offs, start = [], [], None
            finish()
            j = i + 1
            while j < n and text[j] in "<>&|":
                j += 1
            if text[j - 1] == "&" and j < n and (text[j].isdigit() or text[j] == "-"):
                while j < n and (text[j].isdigit() or text[j] == "-"):
                    j += 1
            else:
                skip_next_word = True
            i = j
            continue
        if c in ";&|()":
            separate()
            while i < n and text[i] in ";&|":
                i += 1
            if i < n and text[i] in "()":
                i += 1
            elif c in "()":
                i += 1
            continue
        if start is None:
            start = i
        if c == "'":
            j = text.find("'", i + 1)
            if j < 0:
                return None
            take(i + 1, j)
            i = end = j + 1
            continue
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                if text[j] == "\\" and j + 1 < n and text[j + 1] in '$`"\\\n':
                    if text[j + 1] != "\n":
                        chars.append(text[j + 1])
                        offs.append(off(j + 1))
                    j += 2
                    continue
                chars.append(text[j])
                offs.append(off(j))
                j += 1
            if j >= n:
                return None
            i = end = j + 1
            continue
        if c == "\\":
            if i + 1 < n:
                chars.append(text[i + 1])
                offs.append(off(i + 1))
                i = end = i + 2
            else:
                i = end = i + 1
            continue
        if c == "$" and i + 1 < n and text[i + 1] == "(":
            depth, j = 0, i
            while j < n:
                if text[j] == "(":
                    depth += 1
                elif text[j] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if j >= n:
                return None
            take(i, j + 1)
            i = end = j + 1
            continue
        closing = "`" if c == "`" else ("}" if c == "$" and i + 1 < n and text[i + 1] == "{" else None)
        if closing is not None:  # `command` or ${VAR}: kept verbatim
            j = text.find(closing, i + 1)
            if j < 0:
                return None
            take(i, j + 1)
            i = end = j + 1
            continue
        chars.append(c)
        offs.append(off(i))
        i = end = i + 1
    finish()
    return [cmd for cmd in commands if cmd]


def _strip_prefix_words(words: list[Word]) -> list[Word]:
    while words and words[0].text in _PREFIX_WORDS:
        words = words[1:]
        # `env -i`, `time -p`: drop their options too
        while words and words[0].text.startswith("-") and words[0].text != "-":
            words = words[1:]
    return words


def split_commands(text: str) -> list[list[str]]:
    """Shell-split `text` into simple commands of plain strings. Unbalanced quotes give []."""
    return [[w.text for w in words] for words in _split(text)]


def _split(text: str, base: tuple[int, ...] | None = None) -> list[list[Word]]:
    commands = tokenize(text, base)
    if commands is None:
        return []
    return [w for w in (_strip_prefix_words(c) for c in commands) if w]


# -- what the command runs ------------------------------------------------------------------------


@dataclass(frozen=True)
class Arg:
    """A host or port as written on the command line (variables unexpanded), and where."""

    raw: str
    start: int  # offsets in the run text; end exclusive
    end: int
    #: The `VAR=value` assignment it came from (`FLASK_RUN_PORT=5000 flask run`), if any.
    via_env: str | None = None


@dataclass(frozen=True)
class Listen:
    """One address a server tool on the run line listens on.

    `host` / `port` are None when not written: the tool's `default_host` / `default_port` apply,
    unless one of `overridable_by` (environment variables the tool reads, e.g. UVICORN_PORT) is set
    in the console. `http` is False for addresses that do not speak HTTP (uwsgi `--socket`).
    `where` is the run-text range to point at for a default: the tool's own word.
    """

    tool: str
    option: str  # as written: "-b", "--bind", "--http", "addrport", "" for the tool's defaults
    host: Arg | None
    port: Arg | None
    default_host: str | None
    default_port: str | None
    where: tuple[int, int]
    http: bool = True
    overridable_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunCommand:
    """The program a `run:` line starts.

    `tool` is the launcher's name ("python", "gunicorn", "uvicorn", ..., "django-runserver",
    "http.server", or "" for something lean-lint does not know); `script` a project file it runs
    (`python app.py`, `uwsgi --wsgi-file wsgi.py`, `python manage.py runserver`); `module` a dotted
    module it imports and runs (`python -m pkg.mod`, `gunicorn wsgi:application`), `app_attr` the
    attribute after the colon. `words` are the program's arguments after `tool` as written, `env` the
    `VAR=value` prefixes; `assignments` adds `export VAR=value` / `VAR=value` commands before it.
    `tool_word` and `args` are the same words with their positions; `listens` the addresses a server
    tool listens on (empty for `python app.py`: the program's code decides); `config` a server
    configuration file named on the command line (`-c gunicorn.conf.py`, `--ini uwsgi.ini`), which may
    set what the command line does not.
    """

    text: str
    tool: str = ""
    words: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    script: str | None = None
    module: str | None = None
    app_attr: str | None = None
    commands: tuple[tuple[str, ...], ...] = field(default=(), repr=False)
    tool_word: Word | None = field(default=None, repr=False)
    args: tuple[Word, ...] = field(default=(), repr=False)
    env_words: tuple[Word, ...] = field(default=(), repr=False)
    assignments: tuple[tuple[str, str], ...] = ()
    listens: tuple[Listen, ...] = ()
    config: str | None = None

    @property
    def serves_http(self) -> bool:
        return self.tool != ""

    @property
    def is_server_tool(self) -> bool:
        """A launcher whose command line (not the app's code) decides where it listens."""
        return self.tool in SERVER_TOOLS or self.tool in ("django-runserver", "http.server")

    def mentions(self, name: str) -> bool:
        """Does the command line read `$name` / `${name...}`?"""
        return re.search(r"\$\{?" + re.escape(name) + r"\b", self.text) is not None

    def expand(self, raw: str) -> "Expanded":
        return expand_value(raw, dict(self.assignments))


def _env_prefix(words: list[Word]) -> tuple[list[Word], list[Word]]:
    env = []
    while words and _ENV_RE.match(words[0].text):
        env.append(words[0])
        words = words[1:]
    return env, words


def _app_ref(word: str) -> tuple[str | None, str | None]:
    m = _APP_REF_RE.match(word)
    if not m:
        return None, None
    return m.group(1), m.group(2)


def _positional(words: tuple[str, ...], takes_value: frozenset[str]) -> list[str]:
    """Arguments that are not options (nor options' values)."""
    out = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            if "=" not in word and word in takes_value:
                skip = True
            continue
        out.append(word)
    return out


def option_value(words: tuple[str, ...], *names: str) -> str | None:
    """The value of the last of `--name value`, `--name=value` or `-n value` / `-nvalue` in words."""
    found = _occurrences(tuple(Word(w, (), 0, 0) for w in words), names)
    return found[-1][1] if found else None


def _occurrences(words: tuple[Word, ...], names: tuple[str, ...]) -> list[tuple[str, str, Word, int]]:
    """Each `--name value`, `--name=value`, `-n value`, `-nvalue` in words, in order:
    (name as written, value, the word holding the value, the value's index in that word)."""
    out = []
    i = 0
    while i < len(words):
        text = words[i].text
        matched = False
        for name in names:
            if text == name:
                if i + 1 < len(words):
                    out.append((name, words[i + 1].text, words[i + 1], 0))
                    i += 1
                matched = True
            elif name.startswith("--") and text.startswith(name + "="):
                out.append((name, text[len(name) + 1 :], words[i], len(name) + 1))
                matched = True
            elif not name.startswith("--") and len(name) == 2 and text.startswith(name) and len(text) > 2 and not text.startswith("--"):
                value_at = 3 if text[2] == "=" else 2
                out.append((name, text[value_at:], words[i], value_at))
                matched = True
            if matched:
                break
        i += 1
    return out


_GUNICORN_VALUED = frozenset(
    "-b --bind -w --workers -k --worker-class -c --config -t --timeout --threads -e --env --chdir "
    "--log-level --access-logfile --error-logfile --pythonpath -p --pid -n --name --graceful-timeout "
    "--keep-alive --max-requests --worker-connections -u --user -g --group -m --umask --log-file "
    "--access-logformat --max-requests-jitter --forwarded-allow-ips --certfile --keyfile".split()
)
_UVICORN_VALUED = frozenset(
    "--host --port --uds --fd --workers --loop --http --ws --lifespan --env-file --log-level "
    "--root-path --app-dir --timeout-keep-alive --log-config --factory-arg --interface "
    "--forwarded-allow-ips --limit-concurrency --backlog --ssl-keyfile --ssl-certfile".split()
)
_HYPERCORN_VALUED = frozenset(
    "-b --bind --insecure-bind -w --workers -k --worker-class -c --config --root-path --log-level "
    "--access-logfile --error-logfile -u --user -g --group --certfile --keyfile".split()
)
_DAPHNE_VALUED = frozenset("-b --bind -p --port -u --unix-socket -e --endpoint --root-path --fd -v --verbosity".split())
_WAITRESS_VALUED = frozenset("--host --port --listen --threads --url-prefix --ident --call --unix-socket".split())


def parse_run_command(text: str) -> RunCommand:
    return _parse(text, None, ())


def _parse(text: str, base: tuple[int, ...] | None, outer: tuple[tuple[str, str], ...]) -> RunCommand:
    commands = _split(text, base)
    if not commands:
        return RunCommand(text)
    assignments = list(outer)
    for words in commands[:-1]:
        rest = words[1:] if words[0].text in ("export", "declare", "readonly") else words
        env, others = _env_prefix(list(rest))
        if not others:  # `export A=B` or `A=B` alone: the later commands see it
            assignments += [tuple(w.text.split("=", 1)) for w in env]  # type: ignore[misc]
    last = commands[-1]
    # `sh -c '...'` / `bash -c "..."`: the real program is inside.
    if last and last[0].text.rsplit("/", 1)[-1] in ("sh", "bash", "dash") and any(w.text == "-c" for w in last[1:-1]):
        index = [w.text for w in last].index("-c")
        inner_word = last[index + 1]
        inner = _parse(inner_word.text, inner_word.offsets, tuple(assignments))
        return RunCommand(**{**inner.__dict__, "text": text})
    env_words, words = _env_prefix(list(last))
    env = tuple(tuple(w.text.split("=", 1)) for w in env_words)
    assignments += list(env)
    base_fields: dict[str, Any] = dict(
        text=text,
        env=env,
        env_words=tuple(env_words),
        commands=tuple(tuple(w.text for w in c) for c in commands),
        assignments=tuple(assignments),  # type: ignore[arg-type]
    )
    if not words:
        return RunCommand(**base_fields)
    head = words[0].text.rsplit("/", 1)[-1]
    args = tuple(words[1:])
    tool_word = words[0]

    if PYTHON_RE.match(words[0].text):
        # python [-u -O ...] (-m module | script) args...
        i = 0
        while i < len(args) and args[i].text.startswith("-") and args[i].text not in ("-m", "-c"):
            i += 1
        if i < len(args) and args[i].text == "-m" and i + 1 < len(args):
            module, rest = args[i + 1].text, args[i + 2 :]
            if module in SERVER_TOOLS:
                return _server(module, args[i + 1], rest, base_fields)
            if module == "http.server":
                return _http_server(args[i + 1], rest, base_fields)
            if module == "django" and rest and rest[0].text == "runserver":
                return _runserver(args[i + 1], None, rest, base_fields)
            return RunCommand(tool="python", module=module, words=_texts(rest), args=rest, tool_word=tool_word, **base_fields)
        if i < len(args) and args[i].text != "-c":
            script, rest = args[i].text, args[i + 1 :]
            if script.endswith("manage.py") and any(w.text == "runserver" for w in rest):
                return _runserver(tool_word, script, rest, base_fields)
            return RunCommand(tool="python", script=script, words=_texts(rest), args=rest, tool_word=tool_word, **base_fields)
        return RunCommand(tool="python", words=_texts(args), args=args, tool_word=tool_word, **base_fields)
    if head in ("django-admin", "django-admin.py") and args and args[0].text == "runserver":
        return _runserver(tool_word, None, args, base_fields)
    if head in SERVER_TOOLS:
        return _server(head, tool_word, args, base_fields)
    return RunCommand(words=_texts(args), args=args, tool_word=tool_word, **base_fields)


def _texts(words: tuple[Word, ...]) -> tuple[str, ...]:
    return tuple(w.text for w in words)


def _arg(word: Word, i: int, j: int | None = None) -> Arg:
    j = len(word.text) if j is None else j
    start, end = word.span(i, j)
    return Arg(word.text[i:j], start, end)


def _env_arg(base_fields: dict, name: str) -> Arg | None:
    """The value of a `NAME=value` prefix of the last command, as an Arg at that value."""
    for w in reversed(base_fields["env_words"]):
        if w.text.startswith(name + "="):
            return _arg(w, len(name) + 1)
    return None


def split_host_port(text: str) -> tuple[int, int | None]:
    """Where the host ends and the port starts in `host:port` / `[v6]:port` / `:port` / `host`
    (colons inside `${...}` do not count): (end of the host, start of the port or None)."""
    depth = 0
    colon = -1
    for i, c in enumerate(text):
        if c == "{" and i > 0 and text[i - 1] == "$":
            depth += 1
        elif c == "}" and depth:
            depth -= 1
        elif c == ":" and depth == 0:
            colon = i
    if colon < 0:
        return len(text), None
    host = text[:colon]
    if ":" in host.replace("${", "").split("}")[-1] and not (host.startswith("[") and host.endswith("]")):
        return len(text), None  # a bare IPv6 address without a port
    return colon, colon + 1


def _address(tool: str, option: str, word: Word, index: int, defaults: tuple[str | None, str | None], where: tuple[int, int], http: bool = True) -> Listen | None:
    """`host:port` forms (gunicorn/hypercorn --bind, uwsgi --http, waitress --listen)."""
    value = word.text[index:]
    if value.startswith(("unix:", "fd://", "/")) or value.endswith(".sock"):
        return None
    if value.startswith("tcp://"):
        index += len("tcp://")
        value = word.text[index:]
    host_end, port_start = split_host_port(value)
    host = _arg(word, index, index + host_end)
    port = _arg(word, index + port_start) if port_start is not None else None
    return Listen(tool, option, host, port, defaults[0], defaults[1], where, http=http)


def _server(tool: str, tool_word: Word, args: tuple[Word, ...], base_fields: dict) -> RunCommand:
    module = attr = script = config = None
    listens: list[Listen] = []
    where = tool_word.start, tool_word.end
    env_names = {name for name, _ in base_fields["assignments"]}
    if tool == "uwsgi":
        script = option_value(_texts(args), "--wsgi-file", "--file")
        ref = option_value(_texts(args), "--module", "-w", "--wsgi")
        if ref:
            module, attr = _app_ref(ref)
        config = option_value(_texts(args), "--ini", "--yaml", "--json", "--xml")
        if config is None:
            config = next((w.text for w in args if not w.text.startswith("-") and w.text.endswith((".ini", ".yaml", ".yml", ".json", ".xml"))), None)
        for name, _value, word, index in _occurrences(args, ("--http", "--http-socket", "--http11-socket", "--socket", "-s", "--uwsgi-socket")):
            found = _address(tool, name, word, index, ("", None), where, http=name not in ("--socket", "-s", "--uwsgi-socket"))
            if found is not None:
                listens.append(found)
    elif tool == "flask":
        app = option_value(_texts(args), "--app", "-A") or dict(base_fields["assignments"]).get("FLASK_APP")
        if app:
            if app.endswith(".py"):
                script = app
            else:
                module, attr = _app_ref(app)
        if any(w.text == "run" for w in args):
            host = [_arg(w, i) for _, _, w, i in _occurrences(args, ("--host", "-h"))]
            port = [_arg(w, i) for _, _, w, i in _occurrences(args, ("--port", "-p"))]
            host_arg = host[-1] if host else _env_via(base_fields, "FLASK_RUN_HOST")
            port_arg = port[-1] if port else _env_via(base_fields, "FLASK_RUN_PORT")
            listens.append(
                Listen(tool, "--host" if host else "", host_arg, port_arg, "127.0.0.1", "5000", where,
                       overridable_by=tuple(v for v in ("FLASK_RUN_HOST", "FLASK_RUN_PORT") if v not in env_names))
            )
    else:
        valued = {
            "gunicorn": _GUNICORN_VALUED,
            "uvicorn": _UVICORN_VALUED,
            "hypercorn": _HYPERCORN_VALUED,
            "daphne": _DAPHNE_VALUED,
            "waitress-serve": _WAITRESS_VALUED,
        }[tool]
        positional = _positional(_texts(args), valued)
        if positional:
            module, attr = _app_ref(positional[0])
        if tool in ("gunicorn", "hypercorn"):
            config = option_value(_texts(args), "-c", "--config")
            binds = _occurrences(args, ("-b", "--bind") + (("--insecure-bind",) if tool == "hypercorn" else ()))
            for name, _value, word, index in binds:
                found = _address(tool, name, word, index, (None, "8000"), where)
                if found is not None:
                    listens.append(found)
            if not binds:
                if tool == "gunicorn" and "PORT" in dict(base_fields["assignments"]):
                    # gunicorn binds 0.0.0.0:$PORT when PORT is set and no --bind is given.
                    listens.append(Listen(tool, "", Arg("0.0.0.0", *where), _env_via(base_fields, "PORT"), None, None, where))
                elif tool == "gunicorn" and "GUNICORN_CMD_ARGS" in env_names:
                    pass  # options hidden in a variable: unknown
                else:
                    listens.append(Listen(tool, "", None, None, "127.0.0.1", "8000", where,
                                          overridable_by=("PORT",) if tool == "gunicorn" else ()))
        elif tool in ("uvicorn", "daphne"):
            host_names = ("--host",) if tool == "uvicorn" else ("-b", "--bind")
            port_names = ("--port",) if tool == "uvicorn" else ("-p", "--port")
            socketed = option_value(_texts(args), "--uds", "--fd", "-u", "--unix-socket", "-e", "--endpoint") if tool == "daphne" else option_value(_texts(args), "--uds", "--fd")
            if socketed is None:
                host = [_arg(w, i) for _, _, w, i in _occurrences(args, host_names)]
                port = [_arg(w, i) for _, _, w, i in _occurrences(args, port_names)]
                prefix = "UVICORN_" if tool == "uvicorn" else None
                host_arg = host[-1] if host else (_env_via(base_fields, "UVICORN_HOST") if prefix else None)
                port_arg = port[-1] if port else (_env_via(base_fields, "UVICORN_PORT") if prefix else None)
                listens.append(
                    Listen(tool, host_names[-1] if host else "", host_arg, port_arg, "127.0.0.1", "8000", where,
                           overridable_by=tuple(v for v in ("UVICORN_HOST", "UVICORN_PORT") if prefix and v not in env_names))
                )
        elif tool == "waitress-serve":
            if option_value(_texts(args), "--unix-socket") is None:
                listen_opts = _occurrences(args, ("--listen",))
                for name, _value, word, index in listen_opts:
                    value = word.text[index:]
                    if value.startswith("*:"):
                        found = Listen(tool, name, _arg(word, index, index + 1), _arg(word, index + 2), None, None, where)
                    else:
                        found = _address(tool, name, word, index, (None, "8080"), where)
                    if found is not None:
                        listens.append(found)
                if not listen_opts:
                    host = [_arg(w, i) for _, _, w, i in _occurrences(args, ("--host",))]
                    port = [_arg(w, i) for _, _, w, i in _occurrences(args, ("--port",))]
                    listens.append(Listen(tool, "--host" if host else "", host[-1] if host else None,
                                          port[-1] if port else None, "0.0.0.0", "8080", where))
    return RunCommand(
        tool=tool, words=_texts(args), script=script, module=module, app_attr=attr, tool_word=tool_word,
        args=args, listens=tuple(listens), config=config, **base_fields,
    )


def _env_via(base_fields: dict, name: str) -> Arg | None:
    """A tool setting given as `NAME=value` before the command (prefix or earlier export)."""
    arg = _env_arg(base_fields, name)
    if arg is not None:
        return Arg(arg.raw, arg.start, arg.end, via_env=name)
    for var, value in reversed(base_fields["assignments"]):
        if var == name:
            return Arg(value, 0, 0, via_env=name)
    return None


def _runserver(tool_word: Word, script: str | None, rest: tuple[Word, ...], base_fields: dict) -> RunCommand:
    """`python manage.py runserver [addrport]`: the default and a bare port both mean 127.0.0.1."""
    words = list(rest)
    index = [w.text for w in words].index("runserver")
    after = words[index + 1 :]
    runserver_word = words[index]
    where = (tool_word.start, runserver_word.end)
    ipv6 = any(w.text in ("-6", "--ipv6") for w in after)
    default_host = "::1" if ipv6 else "127.0.0.1"
    positional = [w for w in after if not w.text.startswith("-")]
    listen: Listen
    if positional:
        word = positional[0]
        value = word.text
        host_end, port_start = split_host_port(value)
        if port_start is None:
            if value.isdigit() or re.fullmatch(r"\$\{?\w+(:?-\d*)?\}?", value):
                listen = Listen("django-runserver", "addrport", None, _arg(word, 0), default_host, "8000", (word.start, word.end))
            else:  # Django refuses an address without a port
                return RunCommand(tool="django-runserver", script=script, words=_texts(rest), args=rest, tool_word=tool_word, **base_fields)
        else:
            host = _arg(word, 0, host_end)
            if host.raw == "0":
                host = Arg("0.0.0.0", host.start, host.end)
            listen = Listen("django-runserver", "addrport", host, _arg(word, port_start), default_host, "8000", (word.start, word.end))
    else:
        listen = Listen("django-runserver", "", None, None, default_host, "8000", where)
    return RunCommand(
        tool="django-runserver", script=script, words=_texts(rest), args=rest, tool_word=tool_word,
        listens=(listen,), **base_fields,
    )


def _http_server(tool_word: Word, rest: tuple[Word, ...], base_fields: dict) -> RunCommand:
    """`python -m http.server [port] [-b ADDR]`: all interfaces on 8000 by default."""
    where = (tool_word.start, tool_word.end)
    binds = _occurrences(rest, ("-b", "--bind"))
    host = _arg(binds[-1][2], binds[-1][3]) if binds else None
    positional = _positional(_texts(rest), frozenset({"-b", "--bind", "-d", "--directory", "-p", "--protocol"}))
    port = None
    if positional:
        word = next(w for w in rest if w.text == positional[0])
        port = _arg(word, 0)
    listen = Listen("http.server", "", host, port, "", "8000", where)
    return RunCommand(tool="http.server", module="http.server", words=_texts(rest), args=rest, tool_word=tool_word,
                      listens=(listen,), **base_fields)


# -- values of words ----------------------------------------------------------------------------------


_VAR_RE = re.compile(r"\$\{([A-Za-z_]\w*)(?::?([-=])([^}]*))?\}|\$([A-Za-z_]\w*)")


def expand(word: str, env: dict[str, str] | None = None) -> str | None:
    """Substitute `$VAR` / `${VAR}` / `${VAR:-default}` from `env`; None if any variable is unknown."""
    env = PLATFORM_ENV if env is None else env
    unknown = False

    def sub(m: re.Match[str]) -> str:
        nonlocal unknown
        name = m.group(1) or m.group(4)
        default = m.group(3)
        if name in env:
            return env[name]
        if default is not None:
            return default
        unknown = True
        return ""

    out = _VAR_RE.sub(sub, word)
    return None if unknown else out


@dataclass(frozen=True)
class Expanded:
    """A word's value: `text` when it is a literal after substitution (None when it depends on
    something lean-lint cannot know); `reads` the platform variables it holds (then it is not a
    literal: `${LEANCLOUD_APP_PORT}`); `assumes_unset` the user variables whose `${VAR:-default}`
    default was taken (right only while VAR is not set in the console)."""

    text: str | None
    reads: tuple[str, ...] = ()
    assumes_unset: tuple[str, ...] = ()


def expand_value(raw: str, assignments: dict[str, str] | None = None, _depth: int = 0) -> Expanded:
    """The value of a command-line word: variables assigned earlier on the line are substituted,
    platform variables are recorded in `reads`, other variables take their `:-` default."""
    assignments = assignments or {}
    reads: list[str] = []
    unset: list[str] = []
    unknown = False
    if "`" in raw or "$(" in raw:
        return Expanded(None)

    def sub(m: re.Match[str]) -> str:
        nonlocal unknown
        name = m.group(1) or m.group(4)
        default = m.group(3)
        if name in PLATFORM_VARS:
            reads.append(name)
            return ""
        if name in assignments and _depth < 4:
            inner = expand_value(assignments[name], {k: v for k, v in assignments.items() if k != name}, _depth + 1)
            reads.extend(inner.reads)
            unset.extend(inner.assumes_unset)
            if inner.text is None and not inner.reads:
                unknown = True
            return inner.text or ""
        if default is not None:
            unset.append(name)
            return default
        unknown = True
        return ""

    out = _VAR_RE.sub(sub, raw)
    if unknown or reads:
        return Expanded(None, tuple(reads), tuple(unset))
    return Expanded(out, (), tuple(unset))


# -- addresses ------------------------------------------------------------------------------------

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def is_loopback(host: Any) -> bool:
    """127.0.0.0/8, ::1 (bracketed or not), `localhost` and its kin."""
    if isinstance(host, bytes):
        try:
            host = host.decode("ascii")
        except UnicodeDecodeError:
            return False
    if not isinstance(host, str):
        return False
    h = host.strip().lower()
    if h.startswith("[") and h.endswith("]"):
        h = h[1:-1]
    if h in LOOPBACK_NAMES or h.endswith(".localhost"):
        return True
    try:
        addr = ipaddress.ip_address(h.split("%", 1)[0])
    except ValueError:
        if re.fullmatch(r"\d+(\.\d+){0,3}", h):
            try:
                return socket.inet_aton(h)[0] == 127  # short forms: 127.1
            except OSError:
                return False
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped.is_loopback
    return addr.is_loopback


def literal_port(value: Any) -> int | None:
    """A port number written as a literal (int, or a string of digits), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, (str, bytes)):
        text = value.decode("ascii", "replace") if isinstance(value, bytes) else value
        text = text.strip()
        if text.isdigit():
            return int(text)
    return None


# -- positions in leanengine.yaml ----------------------------------------------------------------------


def yaml_span(doc: Any, start: int | None = None, end: int | None = None) -> Any:
    """The leanengine.yaml Span of run-text range [start, end) when the `run:` value is a one-line
    plain or quoted scalar written without escapes; otherwise the value's own start."""
    # start-up: PyYAML loads only when YAML is read
    import yaml


    node = doc.value_node(("run",)) if doc is not None else None
    if node is None:
        return doc.span_of(("run",), key=False) if doc is not None else Span(1, 1, 1, 1)
    whole = node_span(node)
    if start is None or not isinstance(node, yaml.ScalarNode):
        return Span(whole.line, whole.column, whole.line, whole.column + 1) if start is not None else whole
    first = Span(whole.line, whole.column, whole.line, whole.column + 1)
    if node.start_mark.line != node.end_mark.line:
        return first
    raw = doc.text[node.start_mark.index : node.end_mark.index]
    value = node.value
    if node.style is None:
        shift = 0
        if raw.rstrip() != value:
            return first
    elif node.style in ("'", '"'):
        shift = 1
        if raw[1:-1] != value:
            return first
    else:
        return first
    end = start + 1 if end is None or end <= start else end
    if end > len(value):
        return first
    column = node.start_mark.column + 1 + shift
    return Span(whole.line, column + start, whole.line, column + end)
