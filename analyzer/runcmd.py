"""Understanding leanengine.yaml's `run:` command line without running it.

The platform runs `run:` with a shell. lean-lint splits it like a shell (`&&`, `;`, `||`, `|`,
`exec`, `VAR=value` prefixes, `sh -c '...'`), takes the last command as the long-running program,
and recognizes the servers users start: `python app.py`, `python -m pkg.mod`, gunicorn, uvicorn,
hypercorn, daphne, waitress-serve, uwsgi, `flask run` and `python manage.py runserver`.
`${VAR}` and `$VAR` stay in the words as written; `expand()` substitutes what the platform sets.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

PYTHON_RE = re.compile(r"^(?:.*/)?python(?:\d+(?:\.\d+)?)?$")
SERVER_TOOLS = ("gunicorn", "uvicorn", "hypercorn", "daphne", "waitress-serve", "uwsgi", "flask")
_OPERATORS = {"&&", "||", ";", "|", "&", ";;", "\n"}
_ENV_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_APP_REF_RE = re.compile(r"^([A-Za-z_][\w.]*)(?::([A-Za-z_][\w.]*)(\(.*\))?)?$")


@dataclass(frozen=True)
class RunCommand:
    """The program a `run:` line starts.

    `tool` is the launcher's name ("python", "gunicorn", "uvicorn", ..., "django-runserver", or ""
    for something lean-lint does not know); `script` a project file it runs (`python app.py`,
    `uwsgi --wsgi-file wsgi.py`, `python manage.py runserver`); `module` a dotted module it imports
    and runs (`python -m pkg.mod`, `gunicorn wsgi:application`), `app_attr` the attribute after the
    colon. `words` are the program's arguments after `tool` as written, `env` the `VAR=value` prefixes.
    """

    text: str
    tool: str = ""
    words: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    script: str | None = None
    module: str | None = None
    app_attr: str | None = None
    commands: tuple[tuple[str, ...], ...] = field(default=(), repr=False)

    @property
    def serves_http(self) -> bool:
        return self.tool != ""


def split_commands(text: str) -> list[list[str]]:
    """Shell-split `text` into simple commands. Unbalanced quotes give [] (unknown)."""
    lexer = shlex.shlex(text.replace("\\\n", " "), posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    commands: list[list[str]] = [[]]
    try:
        for token in lexer:
            if token in _OPERATORS or set(token) <= set(";&|"):
                commands.append([])
            else:
                commands[-1].append(token)
    except ValueError:
        return []
    result = []
    for words in commands:
        while words and words[0] in ("exec", "nohup", "time", "env"):
            words = words[1:]
        if words:
            result.append(words)
    return result


def _env_prefix(words: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    env = []
    while words and _ENV_RE.match(words[0]):
        name, _, value = words[0].partition("=")
        env.append((name, value))
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
    value = None
    for i, word in enumerate(words):
        for name in names:
            if word == name and i + 1 < len(words):
                value = words[i + 1]
            elif name.startswith("--") and word.startswith(name + "="):
                value = word[len(name) + 1 :]
            elif not name.startswith("--") and len(name) == 2 and word.startswith(name) and len(word) > 2:
                value = word[2:]
    return value


_GUNICORN_VALUED = frozenset(
    "-b --bind -w --workers -k --worker-class -c --config -t --timeout --threads -e --env --chdir "
    "--log-level --access-logfile --error-logfile --pythonpath -p --pid -n --name --graceful-timeout "
    "--keep-alive --max-requests --worker-connections".split()
)
_UVICORN_VALUED = frozenset(
    "--host --port --uds --fd --workers --loop --http --ws --lifespan --env-file --log-level "
    "--root-path --app-dir --timeout-keep-alive --log-config --factory-arg".split()
)
_HYPERCORN_VALUED = frozenset("-b --bind -w --workers -k --worker-class -c --config --root-path".split())
_DAPHNE_VALUED = frozenset("-b --bind -p --port -u --unix-socket -e --endpoint --root-path".split())
_WAITRESS_VALUED = frozenset("--host --port --listen --threads --url-prefix --ident --call".split())


def parse_run_command(text: str) -> RunCommand:
    commands = split_commands(text)
    if not commands:
        return RunCommand(text)
    # `sh -c '...'` / `bash -c "..."`: the real program is inside.
    last = commands[-1]
    if last and last[0] in ("sh", "bash", "/bin/sh", "/bin/bash") and "-c" in last[:-1]:
        inner = parse_run_command(last[last.index("-c") + 1])
        return RunCommand(**{**inner.__dict__, "text": text})
    env, words = _env_prefix(list(last))
    if not words:
        return RunCommand(text, env=tuple(env), commands=tuple(map(tuple, commands)))
    head, args = words[0].rsplit("/", 1)[-1], tuple(words[1:])
    base = dict(text=text, env=tuple(env), commands=tuple(map(tuple, commands)))

    if PYTHON_RE.match(words[0]):
        # python [-u -O ...] (-m module | script) args...
        i = 0
        while i < len(args) and args[i].startswith("-") and args[i] not in ("-m", "-c"):
            i += 1
        if i < len(args) and args[i] == "-m" and i + 1 < len(args):
            module, rest = args[i + 1], args[i + 2 :]
            if module in SERVER_TOOLS or module == "gunicorn":
                return _server(module, rest, base)
            return RunCommand(tool="python", module=module, words=rest, **base)
        if i < len(args) and args[i] != "-c":
            script, rest = args[i], args[i + 1 :]
            if script.endswith("manage.py") and "runserver" in rest:
                return RunCommand(tool="django-runserver", script=script, words=rest, **base)
            return RunCommand(tool="python", script=script, words=rest, **base)
        return RunCommand(tool="python", words=args, **base)
    if head in SERVER_TOOLS:
        return _server(head, args, base)
    return RunCommand(words=args, **base)


def _server(tool: str, args: tuple[str, ...], base: dict) -> RunCommand:
    module = attr = script = None
    if tool == "uwsgi":
        script = option_value(args, "--wsgi-file", "--file")
        ref = option_value(args, "--module", "-w", "--wsgi")
        if ref:
            module, attr = _app_ref(ref.replace(":", ":", 1))
    elif tool == "flask":
        app = option_value(args, "--app", "-A") or dict(base["env"]).get("FLASK_APP")
        if app:
            if app.endswith(".py"):
                script = app
            else:
                module, attr = _app_ref(app)
    else:
        valued = {
            "gunicorn": _GUNICORN_VALUED,
            "uvicorn": _UVICORN_VALUED,
            "hypercorn": _HYPERCORN_VALUED,
            "daphne": _DAPHNE_VALUED,
            "waitress-serve": _WAITRESS_VALUED,
        }[tool]
        positional = _positional(args, valued)
        if positional:
            module, attr = _app_ref(positional[0])
    return RunCommand(tool=tool, words=args, script=script, module=module, app_attr=attr, **base)


PLATFORM_ENV = {
    "LEANCLOUD_APP_PORT": "3000",
}


def expand(word: str, env: dict[str, str] | None = None) -> str | None:
    """Substitute `$VAR` / `${VAR}` / `${VAR:-default}` from `env`; None if any variable is unknown."""
    env = PLATFORM_ENV if env is None else env
    unknown = False

    def sub(m: re.Match[str]) -> str:
        nonlocal unknown
        name = m.group(1) or m.group(3)
        default = m.group(2)
        if name in env:
            return env[name]
        if default is not None:
            return default
        unknown = True
        return ""

    out = re.sub(r"\$\{([A-Za-z_]\w*)(?::?-([^}]*))?\}|\$([A-Za-z_]\w*)", sub, word)
    return None if unknown else out
