"""The app's routes, read without running anything: what LE704 and LE705 ask about.

The platform's balancer keeps `/.well-known/acme-challenge/` for itself, and its health check asks
for `GET /`. Both questions need the URL paths the app answers, so this module reads route
registrations of the frameworks whose routes are written out in code:

* Flask: `@app.route` / `@app.get`..., `add_url_rule`, blueprints and `register_blueprint(url_prefix=)`;
* FastAPI and Starlette: `@app.get`..., `add_api_route`, `APIRouter(prefix=)` with
  `include_router(prefix=)` (the two prefixes joined, routers nested), `mount` of a sub-app or router,
  `routes=[Route(...), Mount(prefix, routes=[...] | app=...)]`, the docs pages;
* bottle: `@route`, `@app.get`...;
* tornado: `Application([(r"/", Handler), url(...)])`, `add_handlers`;
* Django: ROOT_URLCONF's `urlpatterns` with `path` / `re_path` / `url` and `include()`.

Objects are followed through assignments, imports of project modules and project functions that
return them (`app = create_app()`), by the creation call each name holds (`Objects.origin`). Whatever
cannot be read this way (a path that is not a constant, a route on an object of unknown origin, the
app handed to a callable lean-lint does not know, a 404 handler, an unknown framework) is recorded
in `RouteTable.unknown`: LE705 then says nothing, since the app may answer `/` after all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

import libcst as cst

from analyzer.model.conditions import environments
from analyzer.model.project import Project
from analyzer.model.resolver import argument
from analyzer.platform.sdk import ENGINE_CLASSES
from analyzer.support.regexes import may_match
from analyzer.support.visiting import NoFieldHooks, walk
from analyzer.types import Span

ACME_PREFIX = "/.well-known/acme-challenge/"

FLASK_APP = frozenset({"flask.Flask", "flask.app.Flask"})
FLASK_BLUEPRINT = frozenset({"flask.Blueprint", "flask.blueprints.Blueprint"})
FASTAPI_APP = frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI"})
FASTAPI_ROUTER = frozenset({"fastapi.APIRouter", "fastapi.routing.APIRouter"})
STARLETTE_APP = frozenset({"starlette.applications.Starlette"})
STARLETTE_ROUTER = frozenset({"starlette.routing.Router"})
#: Route owners whose routes FastAPI / Starlette match (prefixes joined by plain concatenation).
ASGI_OWNERS = FASTAPI_APP | FASTAPI_ROUTER | STARLETTE_APP | STARLETTE_ROUTER
BOTTLE_APP = frozenset({"bottle.Bottle"})
BOTTLE_DEFAULT = frozenset({"bottle.default_app", "bottle.app"})
TORNADO_APP = frozenset({"tornado.web.Application"})
DJANGO_WSGI = frozenset({"django.core.wsgi.get_wsgi_application", "django.core.handlers.wsgi.WSGIHandler"})
APP_CLASSES = FLASK_APP | FASTAPI_APP | STARLETTE_APP | BOTTLE_APP | TORNADO_APP
#: Route owners: apps, blueprints, routers.
OWNERS = APP_CLASSES | FLASK_BLUEPRINT | FASTAPI_ROUTER | STARLETTE_ROUTER
#: A Starlette `Mount(prefix, routes=[...])`: an owner of its routes, made up by the scanner.
MOUNT = "starlette.routing.Mount"

#: The frameworks read here, by top-level module.
SUPPORTED = frozenset({"flask", "fastapi", "starlette", "bottle", "tornado", "django"})
#: Web frameworks and extensions whose routes are not read: an app using them may answer `/`.
UNSUPPORTED = frozenset(
    """
    aiohttp sanic falcon pyramid quart cherrypy web webapp2 webob flask_restful flask_restx flask_restplus
    flask_smorest flask_admin flask_appbuilder flask_api flasgger connexion ninja hug responder klein twisted
    masonite litestar starlite robyn japronto vibora eve apistar emmett blacksheep socketio engineio dash
    streamlit gradio panel bokeh flask_sockets spyne graphene_django strawberry ariadne django_distill
    werkzeug.routing starlette.routing.Host
    """.split()
)

_FLASK_ROUTE = frozenset({"route", "get", "post", "put", "delete", "patch"})
_EXTRA_METHODS = frozenset({"add_rules", "error", "hook", "add_hook", "run", "middleware", "host"})
_FASTAPI_ROUTE = frozenset({"get", "post", "put", "delete", "patch", "options", "head", "trace", "api_route",
                            "route", "websocket", "websocket_route"})
_FASTAPI_ADD = frozenset({"add_api_route", "add_route", "add_api_websocket_route", "add_websocket_route"})
_BOTTLE_ROUTE = frozenset({"route", "get", "post", "put", "delete", "patch"})
#: Methods that change what an app answers, on any object: on one of unknown origin they make the
#: routes unknown.
_ROUTING_CALLS = frozenset(
    {"route", "add_url_rule", "register_blueprint", "include_router", "mount", "add_api_route", "add_route",
     "add_handlers", "add_resource", "api_route", "add_websocket_route", "add_api_websocket_route",
     "errorhandler", "app_errorhandler", "register_error_handler", "exception_handler", "add_exception_handler",
     "add_middleware", "before_request", "before_app_request", "merge"}
)
#: The methods whose receiver is worth following (everything the scanner reads, plus `.wrap()`).
_RELEVANT_METHODS = (_ROUTING_CALLS | _FLASK_ROUTE | _FASTAPI_ROUTE | _FASTAPI_ADD | _BOTTLE_ROUTE | _EXTRA_METHODS)
#: Attributes whose use rewires an app's routing.
_ROUTING_ATTRS = frozenset({"url_map", "view_functions", "router", "routes", "wildcard_router", "default_router",
                            "error_handler_spec", "user_middleware", "middleware_stack", "exception_handlers",
                            "before_request_funcs", "handlers"})
#: Callables an app may be handed to without changing what it answers at `/`.
_HARMLESS_CALLEES = frozenset(
    """
    flask_cors.CORS flask_cors.cross_origin flask_sqlalchemy.SQLAlchemy flask_migrate.Migrate flask_login.LoginManager
    flask_mail.Mail flask_session.Session flask_caching.Cache flask_compress.Compress flask_wtf.CSRFProtect
    flask_wtf.csrf.CSRFProtect flask_bcrypt.Bcrypt flask_jwt_extended.JWTManager flask_limiter.Limiter
    flask_babel.Babel flask_marshmallow.Marshmallow flask_moment.Moment flask_socketio.SocketIO
    flask_talisman.Talisman flask_httpauth.HTTPBasicAuth flask_redis.FlaskRedis flask_pymongo.PyMongo
    flask_executor.Executor flask_apscheduler.APScheduler flask_mongoengine.MongoEngine
    werkzeug.middleware.proxy_fix.ProxyFix werkzeug.contrib.fixers.ProxyFix werkzeug.serving.run_simple
    gevent.pywsgi.WSGIServer gevent.wsgi.WSGIServer waitress.serve wsgiref.simple_server.make_server uvicorn.run
    bottle.run hypercorn.asyncio.serve tornado.httpserver.HTTPServer leancloud.Engine leancloud.engine.Engine
    starlette.routing.Mount
    builtins.print builtins.isinstance builtins.id builtins.repr builtins.str builtins.type builtins.getattr
    builtins.hasattr builtins.setattr logging.getLogger builtins.issubclass builtins.len builtins.hash
    builtins.callable builtins.bool builtins.iter builtins.list builtins.tuple builtins.set builtins.frozenset
    builtins.zip builtins.enumerate builtins.format
    """.split()
)
#: Starlette / FastAPI middleware that answers no path itself.
_HARMLESS_MIDDLEWARE_PREFIXES = ("starlette.middleware.", "fastapi.middleware.")
#: Calls that add URL patterns which never answer `/` (Django refuses an empty static prefix).
#: Starlette's route classes in a `routes=[...]` list (FastAPI's own too).
_STARLETTE_ROUTE = frozenset({"starlette.routing.Route", "starlette.routing.WebSocketRoute", "fastapi.routing.APIRoute",
                              "fastapi.routing.APIWebSocketRoute"})
_STARLETTE_MIDDLEWARE = frozenset({"starlette.middleware.Middleware"})
_DJANGO_STATIC = frozenset({"django.conf.urls.static.static", "django.contrib.staticfiles.urls.staticfiles_urlpatterns"})
_DJANGO_PATH = frozenset({"django.urls.path", "django.urls.conf.path"})
_DJANGO_REGEX = frozenset({"django.urls.re_path", "django.urls.conf.re_path", "django.conf.urls.url",
                           "django.conf.urls.re_path"})
_DJANGO_INCLUDE = frozenset({"django.urls.include", "django.urls.conf.include", "django.conf.urls.include"})
_HARMLESS_DJANGO_MIDDLEWARE = frozenset({"corsheaders.middleware.CorsMiddleware",
                                         "whitenoise.middleware.WhiteNoiseMiddleware"})
_TORNADO_URL = frozenset({"tornado.web.url", "tornado.web.URLSpec", "tornado.routing.URLSpec"})
_NOT_FOUND = frozenset({"werkzeug.exceptions.NotFound", "werkzeug.exceptions.HTTPException", "builtins.Exception",
                        "builtins.BaseException", "starlette.exceptions.HTTPException", "fastapi.HTTPException",
                        "fastapi.exceptions.HTTPException", "fastapi.exceptions.RequestValidationError"})
_NOT_FOUND_NAMES = frozenset({"NotFound", "HTTPException", "Exception", "BaseException", "StarletteHTTPException",
                              "Http404"})
#: Mounts nested deeper than this are not followed.
_MAX_MOUNT_DEPTH = 16
#: Where apps, blueprints and routers are created: their class or factory named as code (called,
#: imported, subclassed, listed), not a word in a message ("Application labels aren't unique").
_CREATION_RE = re.compile(
    r"\b(?:Flask|Blueprint|FastAPI|APIRouter|Starlette|Router|Bottle|Application|get_wsgi_application|WSGIHandler"
    r"|default_app)\b(?=[ \t]*(?:[(),.:\]]|as\b|$))"
    r"|\bbottle\b",
    re.M,
)
#: Text a file must contain to register routes or rewire an app.
_ROUTING_RE = re.compile(
    r"\.(?:route|add_url_rule|register_blueprint|include_router|mount|add_api_route|add_route|add_api_websocket_route"
    r"|add_websocket_route|add_handlers|add_rules|add_resource|api_route|errorhandler|app_errorhandler"
    r"|register_error_handler|exception_handler|add_exception_handler|add_middleware|middleware|before_request"
    r"|before_app_request|merge|wsgi_app|url_map|view_functions|router)\b"
    r"|@\s*[\w.]+\.(?:get|post|put|delete|patch|options|head|trace|websocket|websocket_route)\s*\("
)


# -- objects: which creation call a name holds ---------------------------------------------------------


@dataclass(eq=False)
class Origin:
    """The call that created an object (`Flask(__name__)` in app.py), or a stand-in for bottle's
    default app."""

    rel: str
    node: Optional[cst.CSTNode]
    qualname: str

    @property
    def key(self) -> tuple:
        return (self.rel, id(self.node), self.qualname)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Origin) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)


def resolver_for(project: Project, rel: str) -> Any:
    """The shared value resolver (analyzer/model/resolver.py) of a project file, or None if it does not parse."""
    return project.resolver(rel)


class Objects:
    """The call that created an object a name holds, by the resolver's provenance
    (`Resolver.sources`): through assignments, imports of project modules, `module.attr`,
    parameters, attributes and the returns of project functions. Only a value with one creation
    call on every path has an origin; anything else has none (None)."""

    def __init__(self, project: Project, allowed: Optional[frozenset[str]] = None) -> None:
        self.project = project
        #: The project files names are followed into (None: all). Following a name into a module
        #: parses it, so the callers limit this to the modules that can hold the objects they want.
        self.allowed = allowed
        #: bottle's default app (module-level `@route`, `bottle.default_app()`).
        self.bottle_default = Origin("", None, "bottle.default_app")

    def resolver(self, rel: str) -> Any:
        return resolver_for(self.project, rel)

    def qualified(self, rel: str, expr: cst.BaseExpression) -> Optional[str]:
        """The dotted name an expression refers to through imports; `builtins.X` for an unbound name."""
        r = self.resolver(rel)
        return r.qualified_name(expr, builtins=True) if r is not None else None

    def origin(self, rel: str, expr: Optional[cst.BaseExpression]) -> Optional[Origin]:
        r = self.resolver(rel) if expr is not None else None
        return self._single(r.sources(expr, self.allowed)) if r is not None else None

    def module_attr(self, rel: str, name: str) -> Optional[Origin]:
        """The origin of a module-level name of a project file, as other modules see it."""
        r = self.resolver(rel)
        return self._single(r.name_sources(name, self.allowed)) if r is not None else None

    def _single(self, sources: tuple) -> Optional[Origin]:
        found = {self._made_by(source) for source in sources}
        return found.pop() if len(found) == 1 else None

    def _made_by(self, source: Any) -> Optional[Origin]:
        node, r = source.node, source.resolver
        if not isinstance(node, cst.Call):
            return None
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "wrap":
            inner = self._single(r.sources(func.value, self.allowed))
            if inner is not None and inner.qualname in ENGINE_CLASSES:
                return inner  # Engine.wrap(app) returns the engine
        qual = r.qualified_name(func)
        if qual in BOTTLE_DEFAULT:
            return self.bottle_default
        if qual is None or self.project.is_project_module(qual.split(".")[0]):
            return None  # a method of some object, a project class: unknown
        return Origin(r.path, node, qual)


def engine_calls(project: Project, rel: str) -> Iterator[tuple[Any, cst.Call]]:
    """The calls of a file that make a `leancloud.Engine` or `.wrap()` something, from the calls its
    resolver index recorded (no walk of its own)."""
    text = project.python_text(rel) or ""
    if "Engine" not in text and ".wrap(" not in text:
        return
    r = project.resolver(rel)
    if r is None:
        return
    for call in r.index.call_order:
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "wrap" or r.qualified_name(func) in ENGINE_CLASSES:
            yield r, call


def constructs_engine(project: Project, rel: str) -> bool:
    """Does the file call `leancloud.Engine(...)` anywhere (module level or inside functions)?"""
    return any(r.qualified_name(call.func) in ENGINE_CLASSES for r, call in engine_calls(project, rel))


# -- path syntax ------------------------------------------------------------------------------------------

_FLASK_VAR = re.compile(r"<(?:([A-Za-z_]\w*)(?:\((.*?)\))?:)?([A-Za-z_]\w*)>")
_FLASK_CONVERTERS = {"default": "[^/]+", "string": "[^/]+", "int": r"\d+", "float": r"\d+\.\d+",
                     "path": "[^/].*?", "uuid": "[0-9a-fA-F-]{36}"}
_STARLETTE_VAR = re.compile(r"\{([A-Za-z_]\w*)(?::([A-Za-z_]\w*))?\}")
_STARLETTE_CONVERTERS = {"str": "[^/]+", "int": "[0-9]+", "float": r"[0-9]+(?:\.[0-9]+)?", "path": ".*",
                         "uuid": "[0-9a-fA-F-]{36}"}
_BOTTLE_VAR = re.compile(r"<([A-Za-z_]\w*)?(?::([A-Za-z_]\w*)(?::((?:\\.|[^\\>])+))?)?>|:([A-Za-z_]\w*)")
_BOTTLE_FILTERS = {"int": r"-?\d+", "float": r"-?[\d.]+", "path": ".+?"}
_DJANGO_VAR = re.compile(r"<(?:([A-Za-z_]\w*):)?([A-Za-z_]\w*)>")
_DJANGO_CONVERTERS = {"str": "[^/]+", "int": "[0-9]+", "slug": "[-a-zA-Z0-9_]+", "uuid": "[0-9a-f-]{36}",
                      "path": ".+"}


def _translate(text: str, var: re.Pattern, convert) -> str:
    out = []
    pos = 0
    for match in var.finditer(text):
        out.append(re.escape(text[pos : match.start()]))
        out.append(f"(?:{convert(match)})")
        pos = match.end()
    out.append(re.escape(text[pos:]))
    return "".join(out)


def _flask_regex(rule: str) -> str:
    def convert(m: re.Match) -> str:
        name = m.group(1) or "default"
        if name == "any" and m.group(2):
            words = [w.strip().strip("'\"") for w in m.group(2).split(",") if "=" not in w]
            return "|".join(re.escape(w) for w in words)
        return _FLASK_CONVERTERS.get(name, ".*")  # a custom converter: assume it may match anything

    return _translate(rule, _FLASK_VAR, convert)


def _starlette_regex(path: str) -> str:
    return _translate(path, _STARLETTE_VAR, lambda m: _STARLETTE_CONVERTERS.get(m.group(2) or "str", ".*"))


def _bottle_regex(path: str) -> str:
    def convert(m: re.Match) -> str:
        if m.group(4):
            return "[^/]+"
        kind = m.group(2)
        if kind is None:
            return "[^/]+"
        if kind == "re":
            return m.group(3) or "[^/]+"
        return _BOTTLE_FILTERS.get(kind, ".*")

    return _translate(path, _BOTTLE_VAR, convert)


def _django_route_regex(route: str) -> str:
    return _translate(route, _DJANGO_VAR, lambda m: _DJANGO_CONVERTERS.get(m.group(1) or "str", ".*"))


def _matches(pattern: str, text: str, full: bool = True) -> bool:
    """Can a regex match `text`? Decided from its syntax tree, never by running a project's regex
    (a short one can backtrack for hours); an invalid or unclear one is taken to match."""
    return may_match(pattern, text, full)


_ANY = object()  # a regex position that matches any character


def _regex_head(pattern: str) -> tuple[list, bool, bool]:
    """The characters a regex must start with, as literal characters or _ANY (an unescaped `.`),
    whether it is anchored with `^` (or `\\A`), and whether the head is the whole regex. Stops at the
    first construct that is not one fixed character; a character followed by `?`, `*` or `{` is
    dropped (it may be absent)."""
    anchored = False
    i = 0
    if _top_level_alternation(pattern):
        return [], False, False  # `a|b`: no one head
    if pattern.startswith("^"):
        anchored, i = True, 1
    elif pattern.startswith("\\A"):
        anchored, i = True, 2
    head: list = []
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            n = pattern[i + 1]
            if n.isalnum():
                break  # \d, \w, \b...
            item, step = n, 2
        elif c == ".":
            item, step = _ANY, 1
        elif c in "[](){}|?*+$^":
            break
        else:
            item, step = c, 1
        if i + step < len(pattern) and pattern[i + step] in "?*{":
            break
        if i + step < len(pattern) and pattern[i + step] == "+":
            head.append(item)
            break
        head.append(item)
        i += step
    return head, anchored, i == len(pattern)


def _top_level_alternation(pattern: str) -> bool:
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


def _literal_head(text: str, stop: str) -> list:
    cut = len(text)
    for ch in stop:
        at = text.find(ch)
        if at != -1:
            cut = min(cut, at)
    return list(text[:cut])


def _starts_with(head: list, literal: str) -> bool:
    if len(head) < len(literal):
        return False
    return all(h is _ANY or h == c for h, c in zip(head, literal))


# -- the route table --------------------------------------------------------------------------------------


@dataclass(eq=False)
class Route:
    """One route registration: `syntax` says how to read `path` ("flask", "fastapi", "bottle",
    "tornado", "mount" (everything under a prefix), "django-path", "django-regex")."""

    rel: str
    node: cst.CSTNode
    syntax: str
    path: Optional[str]
    #: Flask `defaults=`: the rule may also be served without its variables.
    defaults: bool = False
    #: Django: a pattern that includes others (matched as a prefix), not an endpoint.
    prefix_only: bool = False
    #: Added by the framework itself (FastAPI's /docs): not shown in messages.
    builtin: bool = False


@dataclass(eq=False)
class Owner:
    """An app, blueprint or router and what is registered on it."""

    origin: Origin
    framework: str
    routes: list[Route] = field(default_factory=list)
    #: (child owner's origin, the prefix given at registration: None = none given, "?" = unknown)
    children: list[tuple[Origin, Optional[str]]] = field(default_factory=list)
    #: The prefix given when the blueprint / router was created ("" when none, "?" when unknown).
    own_prefix: str = ""


@dataclass(eq=False)
class DjangoPattern:
    route: Route
    #: For include(): the included patterns; None when they cannot be read.
    children: Optional[list["DjangoPattern"]] = None


@dataclass
class DjangoSite:
    urlconf: str  # the root URLconf's file
    anchor: cst.CSTNode  # the `urlpatterns` name to report at
    patterns: list[DjangoPattern]


@dataclass
class FullRoute:
    """A route with the prefixes of everything it is registered under."""

    route: Route
    #: (syntax, text) from the outermost prefix to the route itself; ("?", "?") for an unknown part.
    parts: tuple[tuple[str, str], ...]

    @property
    def known(self) -> bool:
        return all(text != "?" for _, text in self.parts)

    def shown(self) -> str:
        """The route for a message: as written when it stands alone, else its whole path."""
        if self.route.syntax.startswith("django"):
            if len(self.parts) == 1 and self.parts[0][0] == "django-regex":
                return self.parts[0][1]
            texts = []
            for syntax, text in self.parts:
                if text == "?":
                    text = "..."
                elif syntax == "django-regex":
                    text = text.removeprefix("^").removesuffix("$")
                texts.append(text)
            return "/" + "".join(texts)
        return route_text(self) or (self.route.path or "?")


@dataclass
class RouteTable:
    owners: dict = field(default_factory=dict)  # Origin -> Owner
    #: Apps created in the files the platform runs (Origins of Flask(...), FastAPI(...)...).
    apps: list[Origin] = field(default_factory=list)
    django: list[DjangoSite] = field(default_factory=list)
    uses_django: bool = False
    #: Where bottle's default app is first used: (file, node).
    bottle_anchor: Optional[tuple[str, cst.CSTNode]] = None
    #: Why the routes cannot all be read: (file, reason). Non-empty makes LE705 quiet.
    unknown: list[tuple[str, str]] = field(default_factory=list)

    def top_apps(self) -> list[Origin]:
        """The apps not mounted in another one (`app.mount('/api', api)`): those a server may serve."""
        mounted = {child for owner in self.owners.values() for child, _ in owner.children}
        return [app for app in self.apps if app not in mounted]

    def full_routes(self, origin: Origin) -> Iterator[FullRoute]:
        """Every route of an app, with the prefixes of the blueprints and routers it goes through."""
        yield from self._walk(origin, (), set())

    def _walk(self, origin: Origin, parts: tuple, seen: set) -> Iterator[FullRoute]:
        owner = self.owners.get(origin)
        if owner is None or origin in seen:
            return
        seen = seen | {origin}
        for route in owner.routes:
            yield FullRoute(route, parts + ((route.syntax, "?" if route.path is None else route.path),))
        for child, prefix in owner.children:
            child_owner = self.owners.get(child)
            if child_owner is None:
                continue
            if owner.framework == "flask":
                # Flask: the registration's url_prefix replaces the blueprint's own.
                chosen = prefix if prefix is not None else child_owner.own_prefix
                yield from self._walk(child, parts + (("prefix", chosen),), seen)
            else:
                # FastAPI / Starlette: include_router(prefix) or a mount's prefix + APIRouter(prefix) + path.
                added = (("prefix", prefix or ""), ("prefix", child_owner.own_prefix))
                yield from self._walk(child, parts + added, seen)

    def django_routes(self, site: DjangoSite) -> Iterator[FullRoute]:
        yield from self._django_walk(site.patterns, ())

    def _django_walk(self, patterns: list[DjangoPattern], parts: tuple) -> Iterator[FullRoute]:
        for pattern in patterns:
            route = pattern.route
            here = parts + ((route.syntax, "?" if route.path is None else route.path),)
            if not route.prefix_only:
                yield FullRoute(route, here)
            elif pattern.children is None:
                yield FullRoute(route, here + (("?", "?"),))
            else:
                yield from self._django_walk(pattern.children, here)


def _flask_join(prefix: str, rule: str) -> str:
    """Flask's BlueprintSetupState: "/".join((url_prefix.rstrip("/"), rule.lstrip("/"))), or the prefix."""
    if not prefix:
        return rule
    return "/".join((prefix.rstrip("/"), rule.lstrip("/"))) if rule else prefix


def route_text(full: FullRoute) -> Optional[str]:
    """Flask / FastAPI / bottle / tornado / mount: the whole path as one text, joined the way the
    framework joins prefixes; None when some part is unknown."""
    if not full.known:
        return None
    flask = full.route.syntax == "flask"
    text = ""
    for _, part in full.parts:
        text = _flask_join(text, part) if flask else text + part
    return text


def may_answer_root(full: FullRoute) -> bool:
    """Can the route answer `GET /`? True when unsure."""
    route = full.route
    if route.syntax.startswith("django"):
        return _django_matches_empty(full.parts)
    text = route_text(full)
    if text is None:
        # Unknown somewhere: only a known prefix that needs more than `/` rules `/` out.
        known = ""
        for _, part in full.parts:
            if part == "?":
                break
            known += part
        return known.strip("/") == ""
    syntax = route.syntax
    if syntax == "mount":
        return text.rstrip("/") == ""
    if syntax == "flask":
        if route.defaults and text.startswith("/<"):
            return True
        return _matches(_flask_regex(text), "/")
    if syntax == "fastapi":
        return text in ("", "/") or _matches(_starlette_regex(text), "/")
    if syntax == "bottle":
        return _matches(_bottle_regex(text), "/")
    if syntax == "tornado":
        return _matches(text if text.endswith("$") else text + "$", "/", full=False)
    return True


def _django_matches_empty(parts: tuple, prefix: bool = False) -> bool:
    """Django strips the leading `/`; `/` is served only if every pattern on the way matches ""."""
    for syntax, part in parts:
        if part == "?":
            return True
        if syntax == "django-path":
            if not _matches(_django_route_regex(part), "", full=True):
                return False
        elif syntax == "django-regex":
            if not _matches(part, "", full=False):
                return False
    return True


def acme_route(full: FullRoute) -> bool:
    """Is every path the route answers under /.well-known/acme-challenge/?"""
    head: list = []
    syntax = full.route.syntax
    if syntax.startswith("django"):
        head = ["/"]
        for part_syntax, part in full.parts:
            if part == "?":
                break
            if part_syntax == "django-path":
                piece = _literal_head(part, "<")
                head += piece
                if len(piece) < len(part):
                    break
            else:
                piece, anchored, whole = _regex_head(part)
                if not anchored:
                    break
                head += piece
                if not whole:
                    break
        return _starts_with(head, ACME_PREFIX)
    text = route_text(full)
    if text is None:
        return False
    if syntax == "tornado":
        head, _, _ = _regex_head(text)
        return _starts_with(head, ACME_PREFIX)
    stop = {"flask": "<", "fastapi": "{", "bottle": "<:", "mount": ""}.get(syntax, "")
    literal = _literal_head(text, stop)
    if syntax == "mount":
        literal = list(text.rstrip("/") + "/")
    return _starts_with(literal, ACME_PREFIX)


def project_routes(project: Project) -> RouteTable:
    """The routes of the code the platform runs, computed once per run."""
    if project.route_table is None:
        project.route_table = _Scanner(project).scan()
    return project.route_table


def objects(project: Project, purpose: str, pattern: "re.Pattern[str]") -> Objects:
    """An Objects shared by the rules of one purpose ("routes", "engines"), following names only
    into the runtime files that may hold such objects: those whose text matches `pattern` (where
    they are created) and, transitively, those importing one of them (which may pass them on)."""
    if purpose not in project.route_objects:
        project.route_objects[purpose] = Objects(project, holders(project, pattern))
    return project.route_objects[purpose]


def route_objects(project: Project) -> Objects:
    return objects(project, "routes", _CREATION_RE)


def holders(project: Project, pattern: "re.Pattern[str]") -> frozenset[str]:
    runtime = sorted(project.runtime_files)
    found = {rel for rel in runtime if pattern.search(project.python_text(rel) or "")}
    names = {name for rel in found if (name := project.module_name(rel))}
    changed = True
    while changed:
        changed = False
        for rel in runtime:
            if rel in found:
                continue
            for ref in project.file_info(rel).imports:
                targets = {ref.module} | {f"{ref.module}.{n}" for n in ref.names}
                if targets & names:
                    found.add(rel)
                    if (name := project.module_name(rel)):
                        names.add(name)
                    changed = True
                    break
    return frozenset(found)


# -- reading the code -------------------------------------------------------------------------------------


class _Scanner:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.objects = route_objects(project)
        self.table = RouteTable()

    def scan(self) -> RouteTable:
        project = self.project
        runtime = sorted(project.runtime_files)
        frameworks: set[str] = set()
        for rel in runtime:
            for ref in project.file_info(rel).imports:
                top = ref.module.split(".")[0]
                if top in SUPPORTED:
                    frameworks.add(top)
                names = [ref.module] + [f"{ref.module}.{n}" for n in ref.names]
                for name in names:
                    parts = name.split(".")
                    if any(".".join(parts[:i]) in UNSUPPORTED for i in range(1, len(parts) + 1)):
                        self.unknown(rel, f"imports {name}, whose routes lean-lint does not read")
        if not frameworks:
            return self.table
        for rel in runtime:
            if rel not in self.objects.allowed and not _ROUTING_RE.search(project.python_text(rel) or ""):
                continue  # neither creates nor receives an app, nor registers routes
            parsed = project.parsed(rel)
            if parsed is None:
                self.unknown(rel, "cannot be parsed")
                continue
            _FileScan(self, rel).run()
        if "django" in frameworks:
            self._django(runtime)
        self._elsewhere(runtime)
        return self.table

    def _elsewhere(self, runtime: list[str]) -> None:
        """Routes registered in an uploaded file that no import shows running (loaded with
        importlib, pkgutil...) on an app of the runtime files: the routes are then not all known."""
        project = self.project
        holder_names = {name for rel in self.objects.allowed or () if (name := project.module_name(rel))}
        running = set(runtime)
        for rel in project.python_files:
            if rel in running or not _ROUTING_RE.search(project.python_text(rel) or ""):
                continue
            for ref in project.file_info(rel).imports:
                if ({ref.module} | {f"{ref.module}.{n}" for n in ref.names}) & holder_names:
                    self.unknown(rel, "registers routes, and may be loaded in a way lean-lint does not follow")
                    break

    # -- recording --------------------------------------------------------------------------------

    def unknown(self, rel: str, reason: str) -> None:
        self.table.unknown.append((rel, reason))

    def add(self, owner: Owner, route: Route) -> None:
        """Record a route, unless it is registered in a branch no platform environment takes
        (`if os.environ['LEANCLOUD_APP_ENV'] == 'development':`, a `__main__` block of an imported
        module): it does not exist there. Whether its function is called is not asked: a route
        wrongly dropped would make LE705 report a working app."""
        resolver = self.project.resolver(route.rel)
        if resolver is not None and not environments(resolver, route.node):
            return
        owner.routes.append(route)

    def owner(self, origin: Optional[Origin]) -> Optional[Owner]:
        if origin is None or origin.qualname not in OWNERS | BOTTLE_DEFAULT:
            return None
        owner = self.table.owners.get(origin)
        if owner is None:
            q = origin.qualname
            framework = ("flask" if q in FLASK_APP | FLASK_BLUEPRINT else "fastapi" if q in ASGI_OWNERS
                         else "bottle" if q in BOTTLE_APP | BOTTLE_DEFAULT else "tornado")
            owner = self.table.owners[origin] = Owner(origin, framework)
        return owner

    def string(self, rel: str, expr: Optional[cst.BaseExpression]) -> Optional[str]:
        if expr is None:
            return None
        r = self.objects.resolver(rel)
        value = r.resolve(expr).single if r is not None else None
        return value if isinstance(value, str) else None

    def bottle_default(self, rel: str, node: cst.CSTNode) -> Origin:
        default = self.objects.bottle_default
        if self.table.bottle_anchor is None:
            self.table.bottle_anchor = (rel, node)
        self.owner(default)
        if default not in self.table.apps:
            self.table.apps.append(default)
        return default

    # -- creations ----------------------------------------------------------------------------------

    def created(self, rel: str, call: cst.Call, qual: str) -> None:
        origin = Origin(rel, call, qual)
        if qual in APP_CLASSES:
            self.table.apps.append(origin)
        owner = self.owner(origin)
        if qual in DJANGO_WSGI:
            self.table.uses_django = True
        if owner is None:
            return
        if qual in FLASK_BLUEPRINT | FASTAPI_ROUTER:
            prefix = _keyword(call, "url_prefix" if qual in FLASK_BLUEPRINT else "prefix")
            owner.own_prefix = "" if prefix is None or _is_none(prefix) else (self.string(rel, prefix) or "?")
        if qual in ASGI_OWNERS:
            self.asgi_options(rel, owner, call)
        if qual in FASTAPI_APP:
            for kw, default in (("docs_url", "/docs"), ("redoc_url", "/redoc"), ("openapi_url", "/openapi.json")):
                arg = _keyword(call, kw)
                if arg is None:
                    self.add(owner, Route(rel, call, "fastapi", default, builtin=True))
                elif not _is_none(arg):
                    self.add(owner, Route(rel, arg, "fastapi", self.string(rel, arg)))
        elif qual in TORNADO_APP:
            handlers = _argument(call, 0, "handlers")
            if handlers is not None:
                self.tornado_handlers(rel, owner, handlers)
            if _keyword(call, "default_handler_class") is not None:
                self.unknown(rel, "tornado default_handler_class")
            static_prefix = _keyword(call, "static_url_prefix")
            if static_prefix is not None and (self.string(rel, static_prefix) or "/").strip("/") == "":
                self.unknown(rel, "tornado static_url_prefix at /")
            for arg in call.args:
                if arg.star == "**":
                    self.tornado_settings(rel, arg.value)
                elif arg.star:
                    self.unknown(rel, "tornado Application(*args)")

    def asgi_options(self, rel: str, owner: Owner, call: cst.Call) -> None:
        """What a FastAPI / Starlette app or router takes besides its prefix: `routes=[...]`, and the
        options that may answer any path (`exception_handlers=`, `middleware=`, `root_path=`)."""
        if any(a.star for a in call.args):
            self.unknown(rel, "an app or router created with *args / **options")
        routes = _keyword(call, "routes")
        if routes is not None and not _is_none(routes):
            if owner.own_prefix:
                self.unknown(rel, "APIRouter(prefix=..., routes=...): the prefix does not apply to those routes")
            else:
                self.asgi_routes(rel, owner, routes, 0)
        handlers = _keyword(call, "exception_handlers")
        if handlers is not None and not _is_none(handlers):
            self.unknown(rel, "exception_handlers= may answer / with a page")
        middleware = _keyword(call, "middleware")
        if middleware is not None and not _is_none(middleware):
            self.asgi_middleware(rel, middleware)
        if _keyword(call, "root_path") is not None:
            self.unknown(rel, "root_path= changes the paths the app matches")
        if _keyword(call, "default") is not None:
            self.unknown(rel, "default= answers every path no route matches")

    def asgi_routes(self, rel: str, owner: Owner, expr: cst.BaseExpression, depth: int) -> None:
        """A Starlette `routes=[...]` list: `Route` / `WebSocketRoute` (FastAPI's `APIRoute`) and `Mount`."""
        r = self.objects.resolver(rel)
        elements = r.elements(expr) if r is not None and depth <= _MAX_MOUNT_DEPTH else None
        if elements is None or (isinstance(expr, cst.Name) and _mutated(self.project.python_text(rel) or "", expr.value)):
            self.unknown(rel, "routes that are not a list literal")
            return
        for element in elements:
            qual = self.objects.qualified(rel, element.func) if isinstance(element, cst.Call) else None
            if isinstance(element, cst.Call) and qual in _STARLETTE_ROUTE:
                self.add(owner, Route(rel, element, "fastapi", self.string(rel, _argument(element, 0, "path"))))
            elif isinstance(element, cst.Call) and qual == MOUNT:
                if _keyword(element, "middleware") is not None or any(a.star for a in element.args):
                    self.unknown(rel, "a Mount with options lean-lint does not read")
                    continue
                self.mount(rel, owner, element, _argument(element, 0, "path"), _argument(element, 1, "app"),
                           _argument(element, 2, "routes"), depth)
            else:
                self.unknown(rel, f"a route lean-lint cannot read: `{_short(_code(element))}`")

    def asgi_middleware(self, rel: str, expr: cst.BaseExpression) -> None:
        """`middleware=[Middleware(CORSMiddleware, ...)]`: harmless only for Starlette's and FastAPI's own."""
        r = self.objects.resolver(rel)
        elements = r.elements(expr) if r is not None else None
        if elements is None:
            self.unknown(rel, "middleware lean-lint cannot read")
            return
        for element in elements:
            if isinstance(element, cst.Call) and self.objects.qualified(rel, element.func) in _STARLETTE_MIDDLEWARE:
                qual = self.objects.qualified(rel, _argument(element, 0, "cls") or cst.Name("_"))
                if qual and qual.startswith(_HARMLESS_MIDDLEWARE_PREFIXES):
                    continue
            self.unknown(rel, "a middleware lean-lint does not know")

    def mount(self, rel: str, owner: Owner, node: cst.CSTNode, path: Optional[cst.BaseExpression],
              app: Optional[cst.BaseExpression], routes: Optional[cst.BaseExpression], depth: int = 0) -> None:
        """`app.mount(path, sub)` / `Mount(path, app=sub | routes=[...])`. Starlette strips the path's
        trailing `/`; a sub-app or router lean-lint reads adds its routes under the path, anything else
        (static files, a WSGI app) may answer every path under it."""
        text = self.string(rel, path) if path is not None else None
        prefix = text.rstrip("/") if text is not None else "?"
        if routes is not None and not _is_none(routes):
            inner = Origin(rel, node, MOUNT)
            inner_owner = self.table.owners[inner] = Owner(inner, "fastapi")
            self.asgi_routes(rel, inner_owner, routes, depth + 1)
            owner.children.append((inner, prefix))
            return
        child = self.objects.origin(rel, app) if app is not None else None
        child_owner = self.owner(child)
        if child is not None and child_owner is not None and child_owner.framework == "fastapi":
            owner.children.append((child, prefix))
            return
        self.add(owner, Route(rel, node, "mount", text))

    def tornado_settings(self, rel: str, expr: cst.BaseExpression) -> None:
        """`Application(handlers, **settings)`: the settings that matter, from a dict literal or
        `dict(...)` the name is bound to."""
        r = self.objects.resolver(rel)
        value = r.creation(expr) if (r is not None and isinstance(expr, cst.Name)) else None
        if value is None and isinstance(expr, cst.Name) and r is not None:
            bindings = r.lookup(expr)
            if bindings and len(bindings) == 1 and bindings[0].kind == "value":
                value = bindings[0].expr
        items: dict[str, Optional[cst.BaseExpression]] = {}
        if isinstance(value, cst.Call) and self.objects.qualified(rel, value.func) == "builtins.dict":
            if any(a.keyword is None for a in value.args):
                self.unknown(rel, "tornado settings lean-lint cannot read")
                return
            items = {a.keyword.value: a.value for a in value.args if a.keyword is not None}
        elif isinstance(value, cst.Dict):
            for element in value.elements:
                key = self.string(rel, element.key) if isinstance(element, cst.DictElement) else None
                if key is None:
                    self.unknown(rel, "tornado settings lean-lint cannot read")
                    return
                items[key] = element.value
        else:
            self.unknown(rel, "tornado settings lean-lint cannot read")
            return
        if "default_handler_class" in items:
            self.unknown(rel, "tornado default_handler_class")
        prefix = items.get("static_url_prefix")
        if prefix is not None and (self.string(rel, prefix) or "/").strip("/") == "":
            self.unknown(rel, "tornado static_url_prefix at /")

    def tornado_handlers(self, rel: str, owner: Owner, expr: cst.BaseExpression) -> None:
        r = self.objects.resolver(rel)
        elements = r.elements(expr) if r is not None else None
        if elements is None:
            self.unknown(rel, "tornado handlers that are not a list literal")
            return
        for element in elements:
            pattern = None
            if isinstance(element, cst.Tuple) and element.elements:
                pattern = element.elements[0].value
            elif isinstance(element, cst.Call) and self.objects.qualified(rel, element.func) in _TORNADO_URL:
                pattern = _argument(element, 0, "pattern")
            else:
                self.unknown(rel, "a tornado handler lean-lint cannot read")
                continue
            self.add(owner, Route(rel, pattern if pattern is not None else element, "tornado", self.string(rel, pattern)))

    # -- uses of an app ------------------------------------------------------------------------------

    def method(self, rel: str, owner: Owner, name: str, call: Optional[cst.Call], node: cst.CSTNode, decorator: bool) -> None:
        """`owner.name(...)` as a call or a decorator."""
        fw = owner.framework
        kind = owner.origin.qualname
        args = call
        if fw == "flask":
            if name in _FLASK_ROUTE and args is not None:
                self.add(owner, Route(rel, node, "flask", self.string(rel, _argument(args, 0, "rule")),
                                          defaults=_keyword(args, "defaults") is not None))
            elif name == "add_url_rule" and args is not None:
                self.add(owner, Route(rel, node, "flask", self.string(rel, _argument(args, 0, "rule")),
                                          defaults=_keyword(args, "defaults") is not None))
            elif name == "register_blueprint" and args is not None:
                self.register(rel, owner, args, "url_prefix")
            elif name in ("errorhandler", "app_errorhandler", "register_error_handler"):
                if kind in FLASK_BLUEPRINT and name == "errorhandler":
                    return  # only for the blueprint's own routes
                self.error_handler(rel, args)
            elif name == "before_request" and kind in FLASK_APP or name == "before_app_request":
                self.unknown(rel, f"{name}: it may answer any path")
        elif fw == "fastapi":
            if name in _FASTAPI_ROUTE and args is not None:
                self.add(owner, Route(rel, node, "fastapi", self.string(rel, _argument(args, 0, "path"))))
            elif name in _FASTAPI_ADD and args is not None:
                self.add(owner, Route(rel, node, "fastapi", self.string(rel, _argument(args, 0, "path"))))
            elif name == "include_router" and args is not None:
                self.register(rel, owner, args, "prefix")
            elif name == "mount" and args is not None:
                if any(a.star for a in args.args):
                    self.unknown(rel, "mount() with *args / **options")
                    return
                self.mount(rel, owner, node, _argument(args, 0, "path"), _argument(args, 1, "app"), None)
            elif name in ("exception_handler", "add_exception_handler"):
                self.error_handler(rel, args)
            elif name == "middleware":
                self.unknown(rel, "an HTTP middleware may answer any path")
            elif name == "host":
                self.unknown(rel, "host(): routes for a Host header lean-lint cannot know")
            elif name == "add_middleware" and args is not None:
                qual = self.objects.qualified(rel, _argument(args, 0, "middleware_class") or cst.Name("_"))
                if not (qual and qual.startswith(_HARMLESS_MIDDLEWARE_PREFIXES)):
                    self.unknown(rel, "a middleware lean-lint does not know")
        elif fw == "bottle":
            if name in _BOTTLE_ROUTE and args is not None:
                path = _argument(args, 0, "path")
                if path is None:
                    self.unknown(rel, "a bottle route without a path")
                    return
                self.add(owner, Route(rel, node, "bottle", self.string(rel, path)))
            elif name in ("mount", "merge", "error", "add_route", "hook", "add_hook"):
                self.unknown(rel, f"bottle {name}()")
        elif fw == "tornado":
            if name == "add_handlers" and args is not None:
                handlers = _argument(args, 1, "host_handlers")
                if handlers is not None:
                    self.tornado_handlers(rel, owner, handlers)
            elif name in ("add_rules", "wildcard_router", "default_router"):
                self.unknown(rel, f"tornado {name}")

    def register(self, rel: str, owner: Owner, call: cst.Call, keyword: str) -> None:
        child = self.objects.origin(rel, _argument(call, 0, "blueprint" if keyword == "url_prefix" else "router"))
        child_owner = self.owner(child)
        if child_owner is None or child_owner.framework != owner.framework:
            self.unknown(rel, "registers a blueprint or router lean-lint cannot follow")
            return
        if any(a.star for a in call.args):
            self.unknown(rel, "registration with **options")
            return
        prefix_arg = _keyword(call, keyword)
        if prefix_arg is None or _is_none(prefix_arg):
            prefix = None
        else:
            prefix = self.string(rel, prefix_arg) or "?"
        owner.children.append((child, prefix))

    def error_handler(self, rel: str, call: Optional[cst.Call]) -> None:
        arg = _argument(call, 0, "code_or_exception") if call is not None else None
        if arg is None:
            self.unknown(rel, "an error handler for an unknown error")
            return
        r = self.objects.resolver(rel)
        value = r.resolve(arg).single if r is not None else None
        if isinstance(value, int) and not isinstance(value, bool):
            if value == 404:
                self.unknown(rel, "a 404 handler may answer / with a page")
            return
        qual = self.objects.qualified(rel, arg)
        if qual is None or qual in _NOT_FOUND or qual.rsplit(".", 1)[-1] in _NOT_FOUND_NAMES:
            self.unknown(rel, "a not-found handler may answer / with a page")

    def argument_use(self, rel: str, call: cst.Call, origin: Origin) -> None:
        """An app (or blueprint...) handed to a callable: harmless for the known ones only."""
        func = call.func
        qual = self.objects.qualified(rel, func)
        if qual in _HARMLESS_CALLEES:
            return
        if isinstance(func, cst.Attribute):
            receiver = self.objects.origin(rel, func.value)
            if receiver is not None:
                if receiver.qualname in OWNERS | BOTTLE_DEFAULT:
                    return  # register_blueprint(bp), include_router(router): read by method()
                if receiver.qualname in _HARMLESS_CALLEES:
                    return  # db.init_app(app), socketio.run(app)
        if origin.qualname in FLASK_BLUEPRINT | FASTAPI_ROUTER | STARLETTE_ROUTER:
            return  # handed around before registration; registration is what counts
        self.unknown(rel, f"the app is handed to `{qual or _code(call.func)}`, which may change what it answers")

    # -- Django ---------------------------------------------------------------------------------------

    def _django(self, runtime: list[str]) -> None:
        project = self.project
        confs: dict[str, str] = {}
        for rel in runtime:
            text = project.python_text(rel) or ""
            if "ROOT_URLCONF" not in text:
                continue
            r = self.objects.resolver(rel)
            if r is None:
                continue
            for b in r.module_bindings("ROOT_URLCONF") or []:
                value = self.string(rel, b.expr) if b.kind == "value" else None
                if value is None:
                    self.unknown(rel, "ROOT_URLCONF is not a constant")
                    continue
                confs[value] = rel
            self._middleware(rel, r)
        if not confs:
            if self.table.uses_django:
                self.unknown("", "no ROOT_URLCONF found")
            return
        self.table.uses_django = True
        for name, settings in sorted(confs.items()):
            target = project.module_file(name)
            if target is None:
                self.unknown(settings, f"ROOT_URLCONF {name!r} is not a project module")
                continue
            patterns, anchor = self.urlconf(target, set())
            if patterns is None or anchor is None:
                continue
            self.table.django.append(DjangoSite(target, anchor, patterns))

    def _middleware(self, rel: str, r: Any) -> None:
        for b in r.module_bindings("MIDDLEWARE") or []:
            elements = r.elements(b.expr) if b.kind == "value" else None
            if elements is None:
                self.unknown(rel, "MIDDLEWARE is not a list literal")
                continue
            for element in elements:
                value = self.string(rel, element)
                if value is None:
                    self.unknown(rel, "a MIDDLEWARE entry is not a constant")
                elif not value.startswith("django.") or "Fallback" in value:
                    if value in _HARMLESS_DJANGO_MIDDLEWARE and not (
                        value.startswith("whitenoise") and "WHITENOISE_INDEX_FILE" in (self.project.python_text(rel) or "")
                    ):
                        continue
                    self.unknown(rel, f"middleware {value} may answer any path")

    def urlconf(self, rel: str, seen: set) -> tuple[Optional[list[DjangoPattern]], Optional[cst.CSTNode]]:
        """The patterns of a URLconf module: `urlpatterns = [...]`, `+=`, `.append()`, `.extend()`."""
        if rel in seen:
            self.unknown(rel, "an include() cycle")
            return None, None
        seen = seen | {rel}
        parsed = self.project.parsed(rel)
        if parsed is None:
            self.unknown(rel, "cannot be parsed")
            return None, None
        collector = _UrlpatternsCollector()
        walk(parsed.module, collector)
        if not collector.exprs or collector.dynamic:
            self.unknown(rel, "urlpatterns that lean-lint cannot read")
            return None, None
        patterns: list[DjangoPattern] = []
        for expr in collector.exprs:
            found = self.pattern_list(rel, expr, seen)
            if found is None:
                self.unknown(rel, f"URL patterns lean-lint cannot read: `{_short(_code(expr))}`")
                return None, None
            patterns += found
        return patterns, collector.anchor

    def pattern_list(self, rel: str, expr: cst.BaseExpression, seen: set) -> Optional[list[DjangoPattern]]:
        """The patterns of a list expression; None when it cannot be read. A pattern lean-lint
        cannot read becomes one of unknown path (it may answer anything)."""
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
            left = self.pattern_list(rel, expr.left, seen)
            right = self.pattern_list(rel, expr.right, seen)
            return None if left is None or right is None else left + right
        if isinstance(expr, cst.Name) and expr.value == "urlpatterns":
            return []
        if isinstance(expr, cst.Call) and self.objects.qualified(rel, expr.func) in _DJANGO_STATIC:
            return []
        r = self.objects.resolver(rel)
        elements = r.elements(expr) if r is not None else None
        if elements is None:
            return None
        out = []
        for element in elements:
            pattern = self.pattern(rel, element, seen)
            if pattern is not None:
                out.append(pattern)
        return out

    def pattern(self, rel: str, element: cst.BaseExpression, seen: set) -> Optional[DjangoPattern]:
        qual = self.objects.qualified(rel, element.func) if isinstance(element, cst.Call) else None
        if qual in _DJANGO_PATH:
            syntax = "django-path"
        elif qual in _DJANGO_REGEX:
            syntax = "django-regex"
        else:  # a pattern lean-lint cannot read: it may answer anything
            return DjangoPattern(Route(rel, element, "django-path", None, prefix_only=True))
        text = self.string(rel, _argument(element, 0, "route"))
        view = _argument(element, 1, "view")
        included = self.included(rel, view, seen)
        if included is False:
            return DjangoPattern(Route(rel, element, syntax, text))
        return DjangoPattern(Route(rel, element, syntax, text, prefix_only=True), included)

    def included(self, rel: str, view: Optional[cst.BaseExpression], seen: set):
        """False for a view (an endpoint); the included patterns for include(); None when included
        patterns cannot be read."""
        if view is None:
            return None
        if isinstance(view, cst.Call) and self.objects.qualified(rel, view.func) in _DJANGO_INCLUDE:
            arg = _argument(view, 0, "arg")
            name = self.string(rel, arg)
            if name is not None:
                target = self.project.module_file(name)
                if target is None:
                    return None  # a third-party URLconf
                patterns, _ = self.urlconf(target, seen)
                return patterns
            if isinstance(arg, cst.Tuple) and arg.elements:
                arg = arg.elements[0].value
            return self.pattern_list(rel, arg, seen) if arg is not None else None  # None: router.urls...
        qual = self.objects.qualified(rel, view)
        if qual is not None and qual.endswith(".site.urls"):
            return None  # admin.site.urls: the admin's own patterns
        if isinstance(view, (cst.List, cst.Tuple)):
            return None
        return False


class _FileScan:
    """One runtime file: creations of apps, their routes and other uses. Reads the calls,
    decorators, classes and assignments the resolver index recorded in walk order (no walk of its
    own)."""

    def __init__(self, scanner: _Scanner, rel: str) -> None:
        self.s = scanner
        self.rel = rel
        self.objects = scanner.objects
        self._decorator_calls: set[int] = set()

    def run(self) -> None:
        resolver = self.objects.resolver(self.rel)
        handlers = {cst.Call: self.visit_Call, cst.Decorator: self.visit_Decorator, cst.ClassDef: self.visit_ClassDef,
                    cst.Assign: self.visit_Assign, cst.AugAssign: self.visit_AugAssign}
        for node in resolver.index.events:
            handlers[type(node)](node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        for base in node.bases:
            qual = self.objects.qualified(self.rel, base.value)
            if qual in APP_CLASSES | OWNERS:
                self.s.unknown(self.rel, f"a subclass of {qual}")

    def visit_Decorator(self, node: cst.Decorator) -> None:
        dec = node.decorator
        call = dec if isinstance(dec, cst.Call) else None
        func = dec.func if isinstance(dec, cst.Call) else dec
        if call is not None:
            self._decorator_calls.add(id(call))
        self.callable_use(func, call, node.decorator, decorator=True)
        if call is not None:
            self.arguments(call)

    def visit_Call(self, node: cst.Call) -> None:
        qual = self.objects.qualified(self.rel, node.func)
        if qual in APP_CLASSES | OWNERS | DJANGO_WSGI:
            self.s.created(self.rel, node, qual)
        if qual in BOTTLE_DEFAULT:
            self.s.bottle_default(self.rel, node)
        if id(node) in self._decorator_calls:
            return
        self.callable_use(node.func, node, node, decorator=False)
        self.arguments(node)

    def callable_use(self, func: cst.BaseExpression, call: Optional[cst.Call], node: cst.CSTNode, decorator: bool) -> None:
        qual = self.objects.qualified(self.rel, func)
        if qual and qual.startswith("bottle.") and qual.count(".") == 1:
            name = qual.split(".")[1]
            if name in _BOTTLE_ROUTE or name in ("mount", "error", "hook", "merge"):
                owner = self.s.owner(self.s.bottle_default(self.rel, node))
                if owner is not None:
                    self.s.method(self.rel, owner, name, call, node, decorator)
                return
        if not isinstance(func, cst.Attribute):
            return
        name = func.attr.value
        base = func.value
        if name not in _RELEVANT_METHODS and not (isinstance(base, cst.Attribute) and base.attr.value in _ROUTING_ATTRS):
            return
        origin = self.objects.origin(self.rel, base)
        owner = self.s.owner(origin)
        if owner is not None:
            self.s.method(self.rel, owner, name, call, node, decorator)
            return
        if isinstance(base, cst.Attribute) and base.attr.value in _ROUTING_ATTRS:
            # `app.routes.append(...)`, and deeper: `app.router.routes.insert(0, Route('/', home))`.
            link: cst.BaseExpression = base
            while isinstance(link, cst.Attribute):
                if link.attr.value in _ROUTING_ATTRS and self.s.owner(self.objects.origin(self.rel, link.value)) is not None:
                    if not (link is base and link.attr.value == "url_map" and name not in ("add", "bind", "bind_to_environ")):
                        self.s.unknown(self.rel, f"`{_short(_code(func))}` changes the routes")
                    return
                link = link.value
            return
        if origin is None and (name in _ROUTING_CALLS or (decorator and name in _FASTAPI_ROUTE)):
            if qual is None or not qual.split(".")[0] in ("os", "sys", "re", "logging", "json"):
                self.s.unknown(self.rel, f"`{_short(_code(func))}` on an object lean-lint cannot follow")

    def arguments(self, call: cst.Call) -> None:
        if self.objects.qualified(self.rel, call.func) in _HARMLESS_CALLEES:
            return  # what it is given cannot change the routes: no need to know what that is
        for arg in call.args:
            if isinstance(arg.value, (cst.Name, cst.Attribute)):
                origin = self.objects.origin(self.rel, arg.value)
                if origin is not None and (origin.qualname in OWNERS | BOTTLE_DEFAULT | DJANGO_WSGI):
                    self.s.argument_use(self.rel, call, origin)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            t = target.target
            if isinstance(t, cst.Attribute):
                owner = self.s.owner(self.objects.origin(self.rel, t.value))
                if owner is None:
                    self.deep_routing_change(t)
                    continue
                attr = t.attr.value
                if attr == "wsgi_app":
                    value = node.value
                    qual = self.objects.qualified(self.rel, value.func) if isinstance(value, cst.Call) else None
                    if qual not in _HARMLESS_CALLEES:
                        self.s.unknown(self.rel, "the app's wsgi_app is replaced")
                elif attr in _ROUTING_ATTRS or attr == "default":  # a Starlette router's answer to unmatched paths
                    self.s.unknown(self.rel, f"the app's {attr} is replaced")

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Attribute):
            self.deep_routing_change(node.target)

    def deep_routing_change(self, target: cst.Attribute) -> None:
        """`app.router.default = ...`, `app.router.routes += [...]`: a routing attribute of an app
        (or of something under it) is changed."""
        link: cst.BaseExpression = target
        while isinstance(link, cst.Attribute):
            if link.attr.value in _ROUTING_ATTRS and self.s.owner(self.objects.origin(self.rel, link.value)) is not None:
                self.s.unknown(self.rel, f"`{_short(_code(target))}` is changed")
                return
            link = link.value


class _UrlpatternsCollector(NoFieldHooks, cst.CSTVisitor):
    """The expressions that make up a URLconf's module-level `urlpatterns`."""

    def __init__(self) -> None:
        self.exprs: list[cst.BaseExpression] = []
        self.anchor: Optional[cst.CSTNode] = None
        self.dynamic = False
        self._depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name) and target.target.value == "urlpatterns":
                self.exprs.append(node.value)
                if self.anchor is None:
                    self.anchor = target.target
            elif _mentions_urlpatterns(target.target):
                self.dynamic = True

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.target.value == "urlpatterns" and node.value is not None:
            self.exprs.append(node.value)
            if self.anchor is None:
                self.anchor = node.target

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name) and node.target.value == "urlpatterns":
            self.exprs.append(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "urlpatterns":
            method = func.attr.value
            if method == "append" and node.args:
                self.exprs.append(cst.List([cst.Element(node.args[0].value)]))
            elif method == "extend" and node.args:
                self.exprs.append(node.args[0].value)
            elif method == "insert" and len(node.args) >= 2:
                self.exprs.append(cst.List([cst.Element(node.args[1].value)]))
            else:
                self.dynamic = True

    def visit_ImportStar(self, node: cst.ImportStar) -> None:
        self.dynamic = True


def _mentions_urlpatterns(node: cst.CSTNode) -> bool:
    found = False

    class Finder(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            nonlocal found
            if n.value == "urlpatterns":
                found = True

    walk(node, Finder())
    return found


# -- small helpers ------------------------------------------------------------------------------------------


def _argument(call: Optional[cst.Call], index: Optional[int], name: Optional[str]) -> Optional[cst.BaseExpression]:
    if call is None:
        return None

    return argument(call, index, name)


def _mutated(text: str, name: str) -> bool:
    """Is a list named `name` changed after it is written (`routes.append(...)`, `routes += [...]`,
    `routes[0] = ...`)? From the module's text: a read `routes[0]` counts too."""
    return re.search(rf"\b{re.escape(name)}\s*(?:\.\s*(?:append|extend|insert|pop|remove|clear)\b|\+=|\[)", text) is not None


def _keyword(call: cst.Call, name: str) -> Optional[cst.BaseExpression]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def span_of(project: Project, rel: str, node: cst.CSTNode) -> Span:
    parsed = project.parsed(rel)
    return parsed.span(node) if parsed is not None else Span()
