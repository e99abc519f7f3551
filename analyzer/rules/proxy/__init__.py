"""LE702-LE703: the app sits behind Cloud Engine's load balancer.

Every request reaches the app through the platform's load balancer, which terminates HTTPS and passes
what it knows of the original request in headers: the client's address in `X-Real-IP`, the scheme in
`X-Forwarded-Proto`, both in `Forwarded`. What the app reads from its own socket is therefore the
balancer's address and plain HTTP. LE702 reports reads of the socket's peer address (the client's
address as frameworks expose it by default); LE703 reports redirects to HTTPS that decide from the
socket's scheme, which redirect forever. Both stay quiet where the project tells its framework to
trust the proxy headers (werkzeug's `ProxyFix`, Tornado's `xheaders=True`, uvicorn's or gunicorn's
`forwarded_allow_ips`, Django's `SECURE_PROXY_SSL_HEADER`) or reads the headers itself."""
