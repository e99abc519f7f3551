"""Shared by the listen rules (LE201, LE202, LE203)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator

import libcst as cst

from analyzer.model.project import (
    ModuleContext,
    Project,
)
from analyzer.model.conditions import ALL as ALL_ENVIRONMENTS
from analyzer.model.conditions import environment_note
from analyzer.model.reachability import runs_on_platform
from analyzer.model.resolver import argument, has_star_args
from analyzer.model.values import EnvRead, Value, const
from analyzer.platform.environment import PORT_VAR, PROBED_PORT
from analyzer.platform.paths import LEANENGINE_YAML
from analyzer.platform.servers import (
    FUNCTIONS,
    KEYWORDS,
    METHOD_NAMES,
    METHODS,
    SOCKET,
    ServerApi,
)
from analyzer.readers.runline import (
    Arg,
    Listen,
    RunCommand,
    Word,
    is_loopback,
    literal_port,
    split_host_port,
    yaml_span,
)
from analyzer.readers.yaml_doc import load_yaml
from analyzer.support.edits import apply_edits
from analyzer.support.visiting import children, walk
from analyzer.types import Edit, Fix, Severity, Span

READ_PORT = "port=int(os.environ['LEANCLOUD_APP_PORT'])"


@dataclass
class Listener:
    """A server start the code makes: the call, and its host and port (expression or default)."""

    api: ServerApi
    call: cst.Call
    name: str  # the callee as written: "app.run"
    host_node: cst.CSTNode | None  # None: not passed (the default applies)
    host: Value | None  # None: unknown
    port_node: cst.CSTNode | None
    port: Value | None
    #: The platform environments in which the call runs (model.conditions): one only -> said in messages.
    environments: frozenset[str] = ALL_ENVIRONMENTS

    @property
    def port_is_default(self) -> bool:
        return self.port_node is None and self.port is not None


def detect(ctx: ModuleContext, call: cst.Call) -> Listener | None:
    """The server a call starts, if it is one of the known APIs."""
    resolver = ctx.resolver
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in METHOD_NAMES:
        api = None
        qual = resolver.qualified_name(func)
        if qual in FUNCTIONS:
            api = FUNCTIONS[qual]
        else:
            cls = resolver.instance_of(func.value)
            api = METHODS.get((cls, func.attr.value)) if cls else None
            if api is SOCKET and not _is_tcp_socket(ctx, func.value):
                return None
    else:
        qual = resolver.qualified_name(func)
        api = FUNCTIONS.get(qual) if qual else None
    if api is None:
        return None
    if any(argument(call, name=kw) is not None for kw in api.not_tcp):
        return None
    name = ctx.parsed.module.code_for_node(func)
    star = has_star_args(call)

    if api.address is not None or (api.listen and argument(call, name=api.listen) is not None):
        node = argument(call, *api.address) if api.address else argument(call, name=api.listen or "")
        if node is None:
            return Listener(api, call, name, None, None, None, None)
        parts = resolver.elements(node)
        if parts is not None:
            if len(parts) < 2:
                return None
            return Listener(api, call, name, parts[0], resolver.resolve(parts[0]), parts[1], resolver.resolve(parts[1]))
        if api is SOCKET:
            return None  # a Unix socket path, or an address lean-lint cannot see
        text = resolver.resolve(node)
        host, port = _split_address_value(text)
        return Listener(api, call, name, node, host, node, port)

    def pick(where: tuple[int | None, str] | None, default: Any) -> tuple[cst.CSTNode | None, Value | None]:
        if where is None:
            return None, None
        node = argument(call, *where)
        if node is None:
            if star or any(a.star == "**" for a in call.args):
                return None, None  # maybe passed through *args / **kwargs
            return None, (const(default) if default is not None else None)
        value = resolver.resolve(node)
        if default is not None and value.any(lambda o: o is None):
            value = Value(tuple(default if o is None else o for o in value.options), value.assumes_unset)
        return node, value

    host_node, host = pick(api.host, api.default_host)
    port_node, port = pick(api.port, api.default_port)
    return Listener(api, call, name, host_node, host, port_node, port)


def _is_tcp_socket(ctx: ModuleContext, receiver: cst.BaseExpression) -> bool:
    """A socket.socket(...) that is not UDP nor a Unix socket (defaults: AF_INET, SOCK_STREAM)."""
    resolver = ctx.resolver
    created = resolver.creation(receiver)
    if created is None:
        return True
    family = argument(created, 0, "family")
    kind = argument(created, 1, "type")
    if family is not None and resolver.qualified_name(family) == "socket.AF_UNIX":
        return False
    if kind is not None and resolver.qualified_name(kind) in ("socket.SOCK_DGRAM", "socket.SOCK_RAW"):
        return False
    return True


def _split_address_value(value: Value) -> tuple[Value | None, Value | None]:
    """`"host:port"` strings (gevent listeners, waitress `listen=`) into host and port values."""
    if not value.known or not all(isinstance(o, str) for o in value.options):
        return None, None
    hosts, ports = [], []
    for option in value.options:
        first = option.split()[0] if option.split() else option
        host_end, port_start = split_host_port(first)
        hosts.append(first[:host_end])
        ports.append(first[port_start:] if port_start is not None else None)
    host = Value(tuple("" if h in ("*", "") else h for h in hosts), value.assumes_unset)
    port = Value(tuple(ports), value.assumes_unset) if all(p is not None for p in ports) else None
    return host, port


def loopback_host(listener: Listener) -> tuple[str, bool] | None:
    """(the loopback host, whether it is the API's default) when every outcome is loopback."""
    if listener.host is None or not listener.host.known:
        return None
    if not listener.host.all(is_loopback):
        return None
    first = listener.host.options[0]
    text = first.decode("ascii", "replace") if isinstance(first, bytes) else str(first)
    return text, listener.host_node is None


def literal_ports(listener: Listener) -> list[int] | None:
    """The literal ports of an explicitly passed port, when every outcome is a literal."""
    if listener.port_node is None or listener.port is None or not listener.port.known:
        return None
    ports = [literal_port(o) for o in listener.port.options]
    if any(p is None for p in ports):
        return None
    return sorted(set(p for p in ports if p is not None))


_WSGI_HINT = (
    "Start servers only under `if __name__ == '__main__':` (local development): in WSGI mode the "
    "platform serves `application` itself."
)


def _unless(value: Value | None) -> str:
    names = value.assumes_unset if value is not None else ()
    if not names:
        return ""
    return f" (unless {' or '.join(names)} is set)"


def _host_message(listener: Listener, host: str, default: bool, wsgi: bool) -> str:
    call = f"{environment_note(listener.environments)}`{listener.name}()`"
    if default:
        what = f"{call} listens on {host} ({listener.api.owner}'s default)"
    else:
        what = f"{call} listens on loopback {host!r}{_unless(listener.host)}"
    if wsgi:
        return f"{what} when the platform imports this module in WSGI mode: nothing outside can reach it"
    return f"{what}: the platform's health check cannot reach it"


def _port_message(listener: Listener, ports: list[int]) -> str:
    shown = " or ".join(str(p) for p in ports)
    call = f"{environment_note(listener.environments)}`{listener.name}()`"
    unless = _unless(listener.port)
    if ports == [PROBED_PORT]:
        return f"{call} listens on literal port {shown}{unless}: LEANCLOUD_APP_PORT is that today, but may change"
    return f"{call} listens on literal port {shown}{unless}: the platform sends traffic to LEANCLOUD_APP_PORT"


_TOOL_FIX = {
    "gunicorn": "-b 0.0.0.0:${LEANCLOUD_APP_PORT}",
    "hypercorn": "-b 0.0.0.0:${LEANCLOUD_APP_PORT}",
    "uvicorn": "--host 0.0.0.0 --port ${LEANCLOUD_APP_PORT}",
    "daphne": "-b 0.0.0.0 -p ${LEANCLOUD_APP_PORT}",
    "waitress-serve": "--listen=*:${LEANCLOUD_APP_PORT}",
    "flask": "flask run --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT}",
    "django-runserver": "runserver 0.0.0.0:${LEANCLOUD_APP_PORT}",
    "uwsgi": "--http :${LEANCLOUD_APP_PORT}",
    "http.server": "python -m http.server ${LEANCLOUD_APP_PORT}",
}


_TOOL_NAME = {"django-runserver": "manage.py runserver", "http.server": "python -m http.server", "flask": "flask run"}


_DEFAULT_CONFIGS = {"gunicorn": ("gunicorn.conf.py",), "uwsgi": ("uwsgi.ini",)}


def _run_context(project: Project) -> RunCommand | None:
    if not project.python_applies or project.leanengine is None:
        return None
    return project.run


def _config_may_bind(project: Project, run: RunCommand) -> bool:
    """A configuration file the server reads may set where it listens."""
    if run.config:
        return True
    if run.tool == "gunicorn" and any(name == "GUNICORN_CMD_ARGS" for name, _ in run.assignments):
        return True
    return any(project.is_file(project.build_path(name)) for name in _DEFAULT_CONFIGS.get(run.tool, ()))


def _run_span(project: Project, start: int, end: int) -> Span:
    return yaml_span(project.leanengine, start, end)


def _run_line_loopbacks(project: Project, run: RunCommand) -> list[tuple[Span, str, str, Fix | None]]:
    found = []
    config = _config_may_bind(project, run)
    tool = _TOOL_NAME.get(run.tool, run.tool)
    fix = _TOOL_FIX.get(run.tool, "")
    for listen in run.listens:
        if not listen.http:
            continue
        if listen.host is None:
            if config or listen.default_host is None or not is_loopback(listen.default_host):
                continue
            unless = _override_note(listen, "HOST")
            message = (
                f"{tool} listens on {listen.default_host} by default (no host given{unless}): "
                f"the platform's health check cannot reach it"
            )
            hint = f"Listen on all interfaces: {fix}."
            found.append((_run_span(project, *listen.where), message, hint, _run_host_fix(project, run, listen)))
            continue
        value = run.expand(listen.host.raw)
        if value.text is None or not is_loopback(value.text):
            continue
        unless = _unless_run(value.assumes_unset)
        via = f" (set by {listen.host.via_env})" if listen.host.via_env else ""
        message = f"{tool} listens on loopback {value.text!r}{via}{unless}: the platform's health check cannot reach it"
        hint = f"Listen on all interfaces: {fix}."
        span = _run_span(project, listen.host.start, listen.host.end)
        found.append((span, message, hint, _run_host_fix(project, run, listen)))
    return found


def _override_note(listen: Listen, kind: str) -> str:
    names = [n for n in listen.overridable_by if kind in n]
    if kind == "HOST" and listen.tool == "gunicorn":
        names = ["PORT"]  # gunicorn binds 0.0.0.0:$PORT when PORT is set
    return _unless_run(tuple(names), inside=True)


def _unless_run(names: tuple[str, ...], inside: bool = False) -> str:
    if not names:
        return ""
    text = f"unless {' or '.join(names)} is set"
    return f"; {text}" if inside else f" ({text})"


def _run_line_ports(project: Project, run: RunCommand) -> list[tuple[Span, str, str, Severity, Fix | None]]:
    found = []
    tool = _TOOL_NAME.get(run.tool, run.tool)
    fix = _TOOL_FIX.get(run.tool, "")
    for listen in run.listens:
        if listen.port is None or not listen.http:
            continue
        value = run.expand(listen.port.raw)
        if PORT_VAR in value.reads or value.text is None:
            continue
        port = literal_port(value.text)
        if port is None:
            continue
        via = f" (set by {listen.port.via_env})" if listen.port.via_env else ""
        unless = _unless_run(value.assumes_unset)
        if port == PROBED_PORT:
            message = f"{tool} listens on literal port {port}{via}{unless}: LEANCLOUD_APP_PORT is that today, but may change"
            severity = Severity.NOTE
        else:
            message = f"{tool} listens on literal port {port}{via}{unless}: the platform sends traffic to LEANCLOUD_APP_PORT"
            severity = Severity.ERROR
        hint = f"Listen on the port the platform gives: {fix}."
        span = _run_span(project, listen.port.start, listen.port.end)
        found.append((span, message, hint, severity, _run_port_fix(project, run, listen)))
    return found


def _module_listeners(ctx: ModuleContext) -> list[Listener]:
    """The listeners of one runtime module that can run on the platform (model.reachability:
    `__main__` blocks that do not run, functions nothing calls, branches no platform environment
    takes are left out), from the calls the module's index recorded: no walk of its own."""
    found: list[Listener] = []
    for node in ctx.resolver.index.call_order:
        if detect(ctx, node) is None:
            continue
        envs = runs_on_platform(ctx, node)
        # What it listens on, environment by environment: `host = 'localhost'` in a branch that runs
        # on stage only makes it a loopback listener there, and not in production.
        groups: list[tuple[Listener, set[str]]] = []
        for env in sorted(envs):
            with ctx.project.in_environment(env):
                listener = detect(ctx, node)
            if listener is None:
                continue
            for other, where in groups:
                if (other.host, other.port) == (listener.host, listener.port):
                    where.add(env)
                    break
            else:
                groups.append((listener, {env}))
        for listener, where in groups:
            listener.environments = frozenset(where)
            found.append(listener)
    return found


@dataclass
class Program:
    """The servers the platform runs in the project's code, and what LE203 needs to know."""

    listeners: list[tuple[str, Listener]]  # (path, listener)
    reads_port: bool  # some runtime file's text holds LEANCLOUD_APP_PORT
    contexts: dict[str, ModuleContext] = field(default_factory=dict)  # path -> its module's context

    def judged(self, judge: Callable[[Listener], Any]) -> Iterator[tuple[str, Listener, Any]]:
        """(path, listener, what `judge` found) for each listener `judge` finds something in, once
        per call and finding: the environments of a call's listeners that agree are merged, so a
        host that is loopback everywhere is one finding without an environment in its message."""
        groups: dict[tuple, tuple[str, Listener, Any]] = {}
        for path, listener in self.listeners:
            found = judge(listener)
            if found is None:
                continue
            key = (path, id(listener.call), repr(found))
            if key in groups:
                _, first, _ = groups[key]
                listener = replace(first, environments=first.environments | listener.environments)
            groups[key] = (path, listener, found)
        return iter(list(groups.values()))

    def internal(self, project: Project, listener: Listener) -> bool:
        """A helper server beside the app's own: another listener (or the run: line) already serves
        LEANCLOUD_APP_PORT on a reachable host, and this one listens on another port (metrics, an
        admin endpoint...). The platform never talks to it, so where it listens is the app's affair."""
        if project.run is None or _reads_app_port(listener.port):
            return False
        return any(
            _serves_app_port(other) and listener.environments <= other.environments for _, other in self.listeners
        ) or _run_line_serves_app_port(project)


def _reads_app_port(value: Value | None) -> bool:
    return value is not None and value.any(lambda o: o == EnvRead(PORT_VAR))


def _serves_app_port(listener: Listener) -> bool:
    host = listener.host
    reachable = host is not None and not host.all(is_loopback) or (host is None and listener.host_node is not None)
    return _reads_app_port(listener.port) and reachable


def _run_line_serves_app_port(project: Project) -> bool:
    run = _run_context(project)
    if run is None:
        return False
    for listen in run.listens:
        if not listen.http or listen.port is None or PORT_VAR not in run.expand(listen.port.raw).reads:
            continue
        host = run.expand(listen.host.raw).text if listen.host is not None else listen.default_host
        if host is None or not is_loopback(host):
            return True
    return False


def scan_program(project: Project) -> Program:
    memo = project.memo.get(__name__)
    if memo is not None:
        return memo
    listeners: list[tuple[str, Listener]] = []
    contexts: dict[str, ModuleContext] = {}
    reads = False
    for rel in sorted(project.runtime_files):
        src = project.source(rel)
        text = src.text or ""
        if PORT_VAR in text:
            reads = True
        if not any(k in text for k in KEYWORDS):
            continue
        parsed = project.parsed(rel)
        if parsed is None:
            continue
        ctx = ModuleContext(project, rel, parsed, project.runs_main_guard(rel), True)
        try:
            found = _module_listeners(ctx)
        except RecursionError:
            continue
        listeners += [(rel, item) for item in found]
        contexts[rel] = ctx
    program = project.memo[__name__] = Program(listeners, reads, contexts)
    return program


ALL_INTERFACES = "0.0.0.0"


PORT_REF = "${LEANCLOUD_APP_PORT}"


def _port_code(quote: str) -> str:
    return f"int(os.environ.get({quote}{PORT_VAR}{quote}, {quote}{PROBED_PORT}{quote}))"


def _code_fixable(project: Project, program: Program) -> bool:
    run = project.run
    return run is not None and run.tool == "python" and len(program.listeners) == 1


def _within(root: cst.CSTNode, node: cst.CSTNode) -> bool:
    """Is `node` written inside `root` (not reached through a name)?"""
    stack = [root]
    while stack:
        current = stack.pop()
        if current is node:
            return True
        stack.extend(children(current))
    return False


class _FirstQuote(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.quote: str | None = None

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.quote is not None:
            return False
        if isinstance(node, cst.SimpleString) and node.quote in ("'", '"'):
            self.quote = node.quote
        return super().on_visit(node)


def _module_quote(program: Program, path: str) -> str:
    """The quote the module's first one-line string uses (its style), `'` when it has none."""
    finder = _FirstQuote()
    try:
        walk(program.contexts[path].parsed.module, finder)
    except RecursionError:
        pass
    return finder.quote or "'"


def _line_text(project: Project, path: str, line: int) -> str:
    text = project.source(path).text or ""
    lines = text.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _keyword_edit(project: Project, path: str, call: cst.Call, keyword: str) -> Edit | None:
    """An edit adding the keyword argument `keyword` (`host='0.0.0.0'`) at the end of a call."""
    parsed = project.parsed(path)
    if parsed is None or any(a.star for a in call.args):
        return None
    if not call.args:
        # Right after the `(`.
        func = call.func
        if func.rpar or not isinstance(call.whitespace_after_func, cst.SimpleWhitespace):
            return None
        span = parsed.span(func)
        column = (span.end_column or span.column) + len(call.whitespace_after_func.value) + 1
        line = span.end_line or span.line
        return Edit(path, Span(line, column, line, column), keyword)
    last = call.args[-1]
    span = parsed.span(last)
    line, column = span.end_line or span.line, span.end_column or span.column
    comma = last.comma
    if (
        isinstance(comma, cst.Comma)
        and isinstance(comma.whitespace_before, cst.SimpleWhitespace)
        and isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace)
    ):
        indent = _line_text(project, path, span.line)[: span.column - 1]
        if not indent.strip():
            # One argument a line, each with its comma: the new one on a line of its own.
            return Edit(path, Span(line + 1, 1, line + 1, 1), f"{indent}{keyword},\n")
    return Edit(path, Span(line, column, line, column), f", {keyword}")


def _imports_os(project: Project, program: Program, path: str, node: cst.CSTNode) -> tuple[Edit, ...] | None:
    """What makes `os` the os module at `node`: nothing when the code already imports it there,
    `import os` at the top of the module when no scope binds `os`; None when `os` is something else."""
    ctx = program.contexts.get(path)
    if ctx is None:
        return None
    resolver = ctx.resolver
    found = None
    for scope in resolver._scope_chain(node):
        bindings = resolver._bindings(scope)
        if "os" in bindings.globals and not isinstance(scope, cst.Module):
            found = resolver.module_bindings("os")
            break
        found = bindings.bindings.get("os")
        if found:
            break
    if found:
        if all(b.kind == "import" and b.qualname == "os" for b in found):
            return ()
        return None
    if resolver.module_bindings("*"):
        return None  # `from x import *` may bind `os`
    at = _top_of_module(ctx.parsed.module)
    if at is None:
        return None
    return (Edit(path, Span(at, 1, at, 1), "import os\n"),)


def _top_of_module(module: cst.Module) -> int | None:
    """The line where an import goes: above the first statement after the module's docstring and
    `from __future__` imports (below that statement's own leading comments and blank lines)."""
    line = 1 + len(module.header)
    for index, stmt in enumerate(module.body):
        if (index == 0 and _is_docstring(stmt)) or _is_future_import(stmt):
            line += module.code_for_node(stmt).count("\n")
            continue
        return line + len(getattr(stmt, "leading_lines", ()))
    return None


def _is_docstring(stmt: cst.CSTNode) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_future_import(stmt: cst.CSTNode) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.ImportFrom)
        and isinstance(stmt.body[0].module, cst.Name)
        and stmt.body[0].module.value == "__future__"
    )


def _host_fix(project: Project, program: Program, path: str, listener: Listener, default: bool) -> Fix | None:
    if not _code_fixable(project, program):
        return None
    quote = _module_quote(program, path)
    if default:
        if listener.api.host is None:
            return None
        edit = _keyword_edit(project, path, listener.call, f"{listener.api.host[1]}={quote}{ALL_INTERFACES}{quote}")
        return Fix(f"Listen on all interfaces: {listener.api.host[1]}='0.0.0.0'", (edit,)) if edit is not None else None
    node = listener.host_node
    if node is None or not _within(listener.call, node):
        return None
    if isinstance(node, cst.SimpleString):
        text = _address_literal(node, listener)
        if text is None:
            return None
        return Fix("Listen on all interfaces: '0.0.0.0'", (Edit(path, _span(project, path, node), text),))
    if isinstance(node, cst.Name) and node.value not in ("True", "False"):
        # `host=None` is the framework's default: certain. Another name may serve elsewhere too.
        edit = Edit(path, _span(project, path, node), f"{quote}{ALL_INTERFACES}{quote}")
        if node.value == "None":
            return Fix("Listen on all interfaces: '0.0.0.0'", (edit,))
        return Fix(f"Listen on all interfaces: '0.0.0.0' instead of `{node.value}`", (edit,), safe=False)
    return None


def _address_literal(node: cst.SimpleString, listener: Listener) -> str | None:
    """The literal with its loopback host replaced by 0.0.0.0, quotes and prefix kept."""
    try:
        value = node.evaluated_value
    except Exception:  # noqa: BLE001 - a literal libcst cannot evaluate: leave it
        return None
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if node.raw_value != value:
        return None  # escapes: keep away
    if listener.port_node is node:
        # A "host:port" string (waitress listen=, gevent's listener): only the host part changes.
        if not value or any(c.isspace() for c in value):
            return None
        host_end, _ = split_host_port(value)
        return f"{node.prefix}{node.quote}{ALL_INTERFACES}{value[host_end:]}{node.quote}"
    return f"{node.prefix}{node.quote}{ALL_INTERFACES}{node.quote}"


def _port_fix(project: Project, program: Program, path: str, listener: Listener) -> Fix | None:
    node = listener.port_node
    if node is None or not _code_fixable(project, program) or not _within(listener.call, node):
        return None
    if not isinstance(node, (cst.Integer, cst.Name)) or (isinstance(node, cst.Name) and node.value in ("True", "False")):
        return None
    imports = _imports_os(project, program, path, listener.call)
    if imports is None:
        return None
    code = _port_code(_module_quote(program, path))
    edits = (*imports, Edit(path, _span(project, path, node), code))
    if isinstance(node, cst.Name) and node.value != "None":
        # The name may serve elsewhere too (a URL, a message): only this use changes, unsafely.
        return Fix(f"Listen on the port in LEANCLOUD_APP_PORT instead of `{node.value}`: {code}", edits, safe=False)
    return Fix(f"Listen on the port in LEANCLOUD_APP_PORT: {code}", edits)


def _default_port_fix(project: Project, program: Program, path: str, listener: Listener) -> Fix | None:
    if not _code_fixable(project, program) or listener.api.port is None or not listener.port_is_default:
        return None
    imports = _imports_os(project, program, path, listener.call)
    if imports is None:
        return None
    code = _port_code(_module_quote(program, path))
    edit = _keyword_edit(project, path, listener.call, f"{listener.api.port[1]}={code}")
    if edit is None:
        return None
    return Fix(f"Listen on the port in LEANCLOUD_APP_PORT: {listener.api.port[1]}={code}", (*imports, edit))


def _shell_quote_at(text: str, pos: int) -> str:
    """The shell quoting in force at `pos` of a command line: "" (none), "'" or '"'."""
    state = ""
    i = 0
    while i < pos and i < len(text):
        c = text[i]
        if state == "'":
            if c == "'":
                state = ""
        elif c == "\\":
            i += 2
            continue
        elif state == '"':
            if c == '"':
                state = ""
        elif c in "'\"":
            state = c
        i += 1
    return state


#: How many fixes of the `run:` line one run checks (each loads the edited leanengine.yaml).
RUN_FIX_BUDGET = 64


def _run_fix(project: Project, run: RunCommand, description: str, edits: list[tuple[int, int, str]]) -> Fix | None:
    """Edits of the run: text (ranges of `run.text`) as edits of leanengine.yaml: only when the
    value is a one-line scalar written without escapes (each run-text offset is a column of the
    file), no edit puts `$` inside single quotes (the shell would not expand it), and the edited
    file still loads with the edited command as its run: value."""
    # start-up: PyYAML loads only when YAML is read
    import yaml

    # Each fix is checked by loading the edited file: a run: line with thousands of problems (all
    # written into one 56 KB line) would load it thousands of times. Past a budget per run the
    # findings stay, without a fix.
    checked = project.memo.setdefault(__name__ + ".run_fixes_checked", [0])
    if checked[0] >= RUN_FIX_BUDGET:
        return None
    checked[0] += 1
    doc = project.leanengine
    node = doc.value_node(("run",)) if doc is not None else None
    if doc is None or not isinstance(node, yaml.ScalarNode) or node.start_mark.line != node.end_mark.line:
        return None
    raw = doc.text[node.start_mark.index : node.end_mark.index]
    value = node.value
    if value != run.text:
        return None
    if node.style is None and raw.rstrip() == value:
        shift = 0
    elif node.style in ("'", '"') and raw[1:-1] == value:
        shift = 1
    else:
        return None
    # Columns of the text as the fixer reads it (a BOM counts there, not in PyYAML's marks).
    index = node.start_mark.index
    line, column = node.start_mark.line + 1, index - (doc.text.rfind("\n", 0, index) + 1) + 1 + shift
    file_edits = []
    for start, end, text in edits:
        if not 0 <= start <= end <= len(value):
            return None
        if "$" in text and _shell_quote_at(value, start) == "'":
            return None
        file_edits.append(Edit(LEANENGINE_YAML, Span(line, column + start, line, column + end), text))
    new_value = value
    for start, end, text in sorted(edits, reverse=True):
        new_value = new_value[:start] + text + new_value[end:]
    new_text, skipped = apply_edits(doc.text, file_edits)
    edited = load_yaml(new_text)
    if skipped or edited.problems or not isinstance(edited.data, dict) or edited.data.get("run") != new_value:
        return None
    return Fix(description, tuple(file_edits))


def _written(run: RunCommand, arg: Arg | None) -> bool:
    """The argument is written as is at its range of the run text (no quotes or escapes inside,
    no variable)."""
    return arg is not None and arg.end > arg.start and run.text[arg.start : arg.end] == arg.raw and "$" not in arg.raw


def _word_at(run: RunCommand, offset: int) -> Word | None:
    for word in (*run.env_words, *((run.tool_word,) if run.tool_word else ()), *run.args):
        if word.start <= offset < word.end:
            return word
    return None


_RUN_VALUED = frozenset({"--app", "-A", "-e", "--env-file"})


def _flask_run_word(run: RunCommand) -> Word | None:
    """The `run` of `flask [--app x] run`."""
    previous = ""
    for word in run.args:
        if word.text == "run" and previous not in _RUN_VALUED:
            return word
        previous = word.text
    return None


def _runserver_ipv6(run: RunCommand) -> bool:
    return run.tool == "django-runserver" and any(w in ("-6", "--ipv6") for w in run.words)


#: The option that sets only the host, and only the port, of tools that take them apart.
_HOST_OPTION = {"uvicorn": "--host", "daphne": "-b", "flask": "--host"}


_PORT_OPTION = {"uvicorn": "--port ", "daphne": "-p ", "flask": "--port ", "waitress-serve": "--port="}


def _option_anchor(run: RunCommand) -> int | None:
    """Where a new option of the server goes: after the tool's word (after `run` for flask run)."""
    if run.tool == "flask":
        word = _flask_run_word(run)
        return word.end if word is not None else None
    return run.tool_word.end if run.tool_word is not None else None


def _run_host_fix(project: Project, run: RunCommand, listen: Listen) -> Fix | None:
    description = "Listen on all interfaces: 0.0.0.0"
    if _runserver_ipv6(run):
        return None
    if listen.host is not None:
        if not _written(run, listen.host):
            return None
        return _run_fix(project, run, description, [(listen.host.start, listen.host.end, ALL_INTERFACES)])
    if run.tool in ("gunicorn", "hypercorn") and listen.option == "":
        at = _option_anchor(run)
        text = f" -b {ALL_INTERFACES}:{PORT_REF}"
    elif run.tool in _HOST_OPTION:
        at = _option_anchor(run)
        text = f" {_HOST_OPTION[run.tool]} {ALL_INTERFACES}"
    elif run.tool == "django-runserver":
        if listen.option == "":
            at, text = listen.where[1], f" {ALL_INTERFACES}:{PORT_REF}"
        elif listen.option == "addrport" and listen.port is not None and listen.port.end > listen.port.start:
            at, text = listen.port.start, f"{ALL_INTERFACES}:"
        else:
            return None
    else:
        return None
    if at is None:
        return None
    return _run_fix(project, run, description, [(at, at, text)])


def _run_port_fix(project: Project, run: RunCommand, listen: Listen) -> Fix | None:
    if not _written(run, listen.port):
        return None
    assert listen.port is not None
    return _run_fix(project, run, f"Listen on {PORT_REF}", [(listen.port.start, listen.port.end, PORT_REF)])


def _run_default_port_fix(project: Project, run: RunCommand, listen: Listen) -> Fix | None:
    """LE203 on a server tool's line: give it the port (the listen has none)."""
    description = f"Listen on {PORT_REF}"
    if _runserver_ipv6(run):
        return None
    host = listen.host
    if host is not None and (host.via_env is not None or host.end <= host.start):
        host = None  # `FLASK_RUN_HOST=...` before the tool, or set by an earlier command
    if run.tool in ("gunicorn", "hypercorn") or (run.tool == "waitress-serve" and listen.option == "--listen"):
        if listen.option == "" and run.tool != "waitress-serve":
            at = _option_anchor(run)
            text = f" -b {ALL_INTERFACES}:{PORT_REF}"
        elif host is not None and run.text[host.start : host.end] == host.raw:
            at, text = host.end, f":{PORT_REF}"
        else:
            return None
    elif run.tool in _PORT_OPTION:
        word = _word_at(run, host.start) if host is not None else None
        at = word.end if word is not None else _option_anchor(run)
        text = f" {_PORT_OPTION[run.tool]}{PORT_REF}"
    elif run.tool == "django-runserver" and listen.option == "":
        at, text = listen.where[1], f" {ALL_INTERFACES}:{PORT_REF}"
    elif run.tool == "http.server":
        at, text = _option_anchor(run), f" {PORT_REF}"
    else:
        return None
    if at is None:
        return None
    return _run_fix(project, run, description, [(at, at, text)])


def _span(project: Project, path: str, node: cst.CSTNode) -> Span:
    parsed = project.parsed(path)
    assert parsed is not None
    return parsed.span(node)


def _option_where(run: RunCommand, listen: Listen) -> tuple[int, int]:
    """The run-text range of the option word that gave a listen's address (`--socket`)."""
    found = listen.where
    for word in run.args:
        if listen.port is not None and word.start <= listen.port.start and word.text.startswith(listen.option):
            found = (word.start, word.end)
    return found
