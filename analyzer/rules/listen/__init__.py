"""LE201-LE204: where the app listens, and whether the `run:` program listens at all.

The platform sends its health check and all traffic to port `LEANCLOUD_APP_PORT` of the container,
from outside it. A server the platform runs must therefore listen on all interfaces (`0.0.0.0`), not
on loopback, and on that port. Only code the platform executes counts: with WSGI (no `run:`), the
modules `wsgi.py` imports (code under `if __name__ == '__main__':` there is local development code);
with `run:`, the program the command starts (its `__main__` block included) and its command line.

A server call inside a function counts only when the function may run: its name is referenced from
code that runs when the modules load (or from another such function), by name, across the runtime
modules; `def main(): app.run()` called only from a `__main__` block that does not run is quiet.

Servers are recognized by qualified names through imports (`flask.Flask` instances, `uvicorn.run`,
`socket.socket` instances...), never by a bare method name: a `.run(host='127.0.0.1')` on an object
lean-lint cannot tie to a known server API is not reported. Hosts and ports are resolved with the
shared value resolver (analyzer.model.resolver): only outcomes it proves are judged, so a host that is
loopback on one branch only (`'localhost' if dev else '0.0.0.0'`) is not reported.

`--fix` rewrites what is certain (see "fixes" below): a loopback literal written in the server call
becomes '0.0.0.0', a literal port `int(os.environ.get('LEANCLOUD_APP_PORT', '3000'))` (with
`import os` added when missing), a missing host or port a keyword argument; on the run: line the
host word becomes 0.0.0.0 and the port ${LEANCLOUD_APP_PORT}."""
