"""The servers lean-lint recognises, and how each takes its address and port (REFERENCE.md: the app
"must listen on 0.0.0.0 and on LEANCLOUD_APP_PORT"). Defaults are the libraries' own, from their docs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServerApi:
    """How one server API takes its address. `host` / `port` / `address` are (position, keyword)
    of the argument (position None: keyword only); `address` is a `(host, port)` tuple or a
    `"host:port"` string; `listen` a keyword taking a `"host:port"` string (waitress). Defaults
    apply when the argument is not passed ("" = all interfaces; None = not known / required)."""

    owner: str  # who picks the default, for messages: "Flask", "uvicorn"
    host: tuple[int | None, str] | None = None
    port: tuple[int | None, str] | None = None
    address: tuple[int | None, str] | None = None
    listen: str | None = None
    default_host: str | None = None
    default_port: int | None = None
    not_tcp: tuple[str, ...] = ()  # keywords that make it listen elsewhere (a Unix socket, an fd)


# -- the server APIs ------------------------------------------------------------------------------

_FLASK = ServerApi("Flask", (0, "host"), (1, "port"), default_host="127.0.0.1", default_port=5000)
_SOCKETIO = ServerApi("Flask-SocketIO", (1, "host"), (2, "port"), default_host="127.0.0.1", default_port=5000)
_SANIC = ServerApi("Sanic", (0, "host"), (1, "port"), default_host="127.0.0.1", default_port=8000, not_tcp=("sock", "unix"))
_BOTTLE_APP = ServerApi("Bottle", (None, "host"), (None, "port"), default_host="127.0.0.1", default_port=8080)
_TORNADO = ServerApi("Tornado", (1, "address"), (0, "port"), default_host="")
SOCKET = ServerApi("socket", address=(0, "address"))
_ADDRESS = ServerApi("socketserver", address=(0, "server_address"))
_GEVENT = ServerApi("gevent", address=(0, "listener"))
_HOST_PORT = ServerApi("wsgiref", (0, "host"), (1, "port"))


#: Module-level functions and classes, by qualified name.
FUNCTIONS: dict[str, ServerApi] = {
    "uvicorn.run": ServerApi("uvicorn", (1, "host"), (2, "port"), default_host="127.0.0.1", default_port=8000, not_tcp=("uds", "fd")),
    "uvicorn.Config": ServerApi("uvicorn", (1, "host"), (2, "port"), default_host="127.0.0.1", default_port=8000, not_tcp=("uds", "fd")),
    "uvicorn.config.Config": ServerApi("uvicorn", (1, "host"), (2, "port"), default_host="127.0.0.1", default_port=8000, not_tcp=("uds", "fd")),
    "bottle.run": ServerApi("Bottle", (2, "host"), (3, "port"), default_host="127.0.0.1", default_port=8080),
    "aiohttp.web.run_app": ServerApi("aiohttp", (None, "host"), (None, "port"), default_host="", default_port=8080, not_tcp=("path", "sock")),
    "aiohttp.web.TCPSite": ServerApi("aiohttp", (1, "host"), (2, "port"), default_host="", default_port=8080),
    "waitress.serve": ServerApi("waitress", (None, "host"), (None, "port"), listen="listen", default_host="", default_port=8080, not_tcp=("unix_socket", "sockets")),
    "werkzeug.serving.run_simple": ServerApi("werkzeug", (0, "hostname"), (1, "port")),
    "werkzeug.serving.make_server": ServerApi("werkzeug", (0, "host"), (1, "port")),
    "wsgiref.simple_server.make_server": _HOST_PORT,
    "wsgiref.simple_server.WSGIServer": _ADDRESS,
    "http.server.HTTPServer": _ADDRESS,
    "http.server.ThreadingHTTPServer": _ADDRESS,
    "socketserver.TCPServer": _ADDRESS,
    "socketserver.ThreadingTCPServer": _ADDRESS,
    "socketserver.ForkingTCPServer": _ADDRESS,
    "xmlrpc.server.SimpleXMLRPCServer": ServerApi("xmlrpc", address=(0, "addr")),
    "gevent.pywsgi.WSGIServer": _GEVENT,
    "gevent.wsgi.WSGIServer": _GEVENT,
    "gevent.server.StreamServer": _GEVENT,
    "geventwebsocket.WebSocketServer": _GEVENT,
    "geventwebsocket.server.WebSocketServer": _GEVENT,
    "socket.create_server": SOCKET,
    "tornado.netutil.bind_sockets": ServerApi("Tornado", (1, "address"), (0, "port"), default_host=""),
    "asyncio.start_server": ServerApi("asyncio", (1, "host"), (2, "port"), default_host="", not_tcp=("sock",)),
}


#: Methods of instances, by (qualified class name, method).
METHODS: dict[tuple[str, str], ServerApi] = {
    **{(cls, "run"): _FLASK for cls in ("flask.Flask", "flask.app.Flask")},
    **{(cls, "run"): ServerApi("Quart", (0, "host"), (1, "port"), default_host="127.0.0.1", default_port=5000) for cls in ("quart.Quart", "quart.app.Quart")},
    **{(cls, "run"): _SOCKETIO for cls in ("flask_socketio.SocketIO",)},
    **{(cls, "run"): _SANIC for cls in ("sanic.Sanic", "sanic.app.Sanic")},
    ("bottle.Bottle", "run"): _BOTTLE_APP,
    **{(cls, m): _TORNADO for cls in ("tornado.web.Application", "tornado.httpserver.HTTPServer", "tornado.tcpserver.TCPServer") for m in ("listen", "bind")},
    ("socket.socket", "bind"): SOCKET,
}


METHOD_NAMES = frozenset(m for _, m in METHODS)


#: A module holding none of these cannot start a known server: a function of FUNCTIONS is imported
#: from its package, and a method of METHODS is called as `x.name(`.
KEYWORDS = tuple(sorted({q.split(".")[0] for q in FUNCTIONS} | {f".{m}" for m in METHOD_NAMES}))
