"""Which distribution provides an import name: the data behind LE405.

pip installs distributions (`PyYAML`), code imports modules (`yaml`); most names agree once PEP 503
normalization and the usual `python-` / `-python` / `py` affixes are applied (`Flask_SQLAlchemy` ->
`flask_sqlalchemy`, `python-dotenv` -> `dotenv`), and this module holds the curated table of those
that do not (`IMPORT_TO_DISTRIBUTIONS`). `DEPENDENCIES` lists what common distributions install with
them (Flask brings Werkzeug and Jinja2), so an import satisfied only through a listed dependency is
not reported. Both tables err on the side of "provided": a wrong entry can only hide a finding.

The curated tables are completed by shipped data read out of popular distributions' wheels
(wheel_data.py: the import names each installs, the distributions it requires) and the standard
library of every Python version the platform offers (stdlib.py).

A requirement that neither holds data on provides what its name says, and no more (there is no list
of "common modules an unknown requirement might bring"): its own import name (`name_is`); for an
import name no known distribution is recorded to provide, also one its words contain
(`name_matches`); for a `flask-` / `django-` plugin, the framework and the known distributions it is
named after (`plugin_targets`). An import name the data gives to other distributions is never
assumed to come from an unknown requirement that merely mentions it, and stub-only distributions
(`types-X`, `X-stubs`) provide nothing.

`Provider` answers "does some requirement provide this import?" for one project. It never installs
anything, never asks the network and never looks at what is installed where lean-lint runs: the
answer is the same on every machine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from analyzer.platform import wheel_data as shipped
from analyzer.platform.stdlib import all_stdlib_modules
from analyzer.support.names import normalize_name

# -- the curated tables --------------------------------------------------------------------------------

#: Import name (a top-level module, or a dotted prefix for namespace packages) -> the distributions
#: that provide it, most common first (the first one is suggested in messages). Only names that
#: differ from their distribution after normalization and the usual affixes are listed.
IMPORT_TO_DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    # the issue's own examples
    "yaml": ("PyYAML", "pyyaml-ft"),
    "PIL": ("Pillow", "Pillow-SIMD", "PIL"),
    "bs4": ("beautifulsoup4", "bs4"),
    "jwt": ("PyJWT", "jwt", "python-jwt"),
    "dateutil": ("python-dateutil", "py-dateutil"),
    "cv2": ("opencv-python", "opencv-python-headless", "opencv-contrib-python", "opencv-contrib-python-headless"),
    "sklearn": ("scikit-learn", "sklearn"),
    "google.protobuf": ("protobuf",),
    "leancloud": ("leancloud", "leancloud-sdk", "leancloud-sdk-ng"),
    # databases and caches
    "MySQLdb": ("mysqlclient", "MySQL-python", "mysqlclient-binary"),
    "_mysql": ("mysqlclient", "MySQL-python"),
    "mysql": ("mysql-connector-python", "mysql-connector", "mysql-connector-python-rf"),
    "psycopg2": ("psycopg2", "psycopg2-binary", "psycopg2cffi"),
    "pymongo": ("pymongo",),
    "bson": ("pymongo", "bson"),
    "gridfs": ("pymongo",),
    "memcache": ("python-memcached", "python3-memcached"),
    "rediscluster": ("redis-py-cluster",),
    "playhouse": ("peewee",),
    "cx_Oracle": ("cx-Oracle",),
    "pysqlite2": ("pysqlite",),
    "ldap": ("python-ldap",),
    # web
    "rest_framework": ("djangorestframework",),
    "rest_framework_simplejwt": ("djangorestframework-simplejwt",),
    "rest_framework_jwt": ("djangorestframework-jwt", "drf-jwt"),
    "corsheaders": ("django-cors-headers",),
    "django_filters": ("django-filter",),
    "debug_toolbar": ("django-debug-toolbar",),
    "crispy_forms": ("django-crispy-forms",),
    "environ": ("django-environ", "environ"),
    "storages": ("django-storages",),
    "import_export": ("django-import-export",),
    "mptt": ("django-mptt",),
    "taggit": ("django-taggit",),
    "allauth": ("django-allauth",),
    "django_celery_beat": ("django-celery-beat",),
    "django_celery_results": ("django-celery-results",),
    "ckeditor": ("django-ckeditor",),
    "simpleui": ("django-simpleui",),
    "geventwebsocket": ("gevent-websocket",),
    "websocket": ("websocket-client", "websocket_client"),
    "multipart": ("python-multipart", "multipart"),
    "socks": ("PySocks", "pysocks"),
    "sockshandler": ("PySocks",),
    "telebot": ("pyTelegramBotAPI",),
    "OpenSSL": ("pyOpenSSL",),
    "Crypto": ("pycryptodome", "pycrypto"),
    "Cryptodome": ("pycryptodomex",),
    "nacl": ("PyNaCl",),
    "jose": ("python-jose", "jose"),
    "jwcrypto": ("jwcrypto",),
    "attr": ("attrs",),
    "dns": ("dnspython",),
    "magic": ("python-magic", "python-magic-bin", "file-magic"),
    "dotenv": ("python-dotenv",),
    "decouple": ("python-decouple",),
    "docx": ("python-docx", "docx"),
    "pptx": ("python-pptx",),
    "fitz": ("PyMuPDF", "pymupdf", "fitz"),
    "pdfminer": ("pdfminer.six", "pdfminer"),
    "git": ("GitPython",),
    "serial": ("pyserial",),
    "usb": ("pyusb",),
    "zmq": ("pyzmq",),
    "grpc": ("grpcio",),
    "grpc_tools": ("grpcio-tools",),
    "googleapiclient": ("google-api-python-client",),
    "apiclient": ("google-api-python-client",),
    "oauth2client": ("oauth2client",),
    "speech_recognition": ("SpeechRecognition",),
    "skimage": ("scikit-image",),
    "Bio": ("biopython",),
    "osgeo": ("GDAL", "gdal"),
    "wx": ("wxPython",),
    "gi": ("PyGObject",),
    "cairo": ("pycairo",),
    "Xlib": ("python-xlib",),
    "win32api": ("pywin32",),
    "win32con": ("pywin32",),
    "pythoncom": ("pywin32",),
    "pywintypes": ("pywin32",),
    "Levenshtein": ("python-Levenshtein", "Levenshtein"),
    "pythonjsonlogger": ("python-json-logger",),
    "factory": ("factory-boy", "factory_boy"),
    "past": ("future",),
    "libfuturize": ("future",),
    "aliyunsdkcore": ("aliyun-python-sdk-core", "aliyun-python-sdk-core-v3"),
    "qcloud_cos": ("cos-python-sdk-v5",),
    "qcloudsms_py": ("qcloudsms-py",),
    "aip": ("baidu-aip",),
    "alipay": ("python-alipay-sdk", "alipay-sdk-python"),
    "talib": ("TA-Lib", "ta-lib"),
    "mpl_toolkits": ("matplotlib",),
    "pylab": ("matplotlib",),
    "paddle": ("paddlepaddle", "paddlepaddle-gpu"),
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tf-nightly", "tensorflow-macos"),
    "sentencepiece": ("sentencepiece",),
    "u2flib_server": ("python-u2flib-server",),
    "pkg_resources": ("setuptools",),
    "_cffi_backend": ("cffi",),
    "markdown": ("Markdown",),
    "flask_restful": ("Flask-RESTful",),
    "slugify": ("python-slugify", "awesome-slugify", "slugify"),
    "typing_extensions": ("typing-extensions", "typing_extensions"),
    "importlib_metadata": ("importlib-metadata",),
    "pyasn1_modules": ("pyasn1-modules",),
    "lark": ("lark", "lark-parser"),
    "stomp": ("stomp.py",),
    "jsonpath": ("jsonpath", "jsonpath-rw"),
    "kafka": ("kafka-python", "kafka-python-ng"),
}

#: What a distribution installs with it (its required dependencies in the versions in use, as
#: distribution names), so `import werkzeug` with only `Flask` listed is not reported. Over-inclusive
#: on purpose: a dependency that some version dropped is still listed.
DEPENDENCIES: dict[str, tuple[str, ...]] = {
    "flask": ("werkzeug", "jinja2", "itsdangerous", "click", "markupsafe", "blinker", "importlib-metadata", "colorama"),
    "werkzeug": ("markupsafe",),
    "jinja2": ("markupsafe",),
    "django": ("asgiref", "sqlparse", "pytz", "tzdata", "backports.zoneinfo", "typing-extensions"),
    "djangorestframework": ("django", "pytz"),
    "fastapi": ("starlette", "pydantic", "typing-extensions", "annotated-doc"),
    "starlette": ("anyio", "typing-extensions", "sniffio", "idna"),
    "anyio": ("idna", "sniffio", "typing-extensions", "exceptiongroup"),
    "pydantic": ("pydantic-core", "annotated-types", "typing-extensions", "typing-inspection"),
    "uvicorn": ("click", "h11", "typing-extensions"),
    "gunicorn": ("packaging", "setuptools"),
    "bottle": (),
    "tornado": (),
    "requests": ("urllib3", "idna", "certifi", "chardet", "charset-normalizer"),
    "requests-toolbelt": ("requests",),
    "httpx": ("httpcore", "anyio", "sniffio", "idna", "certifi", "h11"),
    "httpcore": ("h11", "certifi"),
    "aiohttp": ("multidict", "yarl", "aiosignal", "frozenlist", "attrs", "async-timeout", "aiohappyeyeballs",
                "propcache", "charset-normalizer"),
    "yarl": ("multidict", "idna", "propcache"),
    "leancloud": ("arrow", "iso8601", "six", "qiniu", "requests", "urllib3", "requests-toolbelt", "werkzeug",
                  "secure-cookie", "gevent", "markupsafe", "typing"),
    "leancloud-sdk": ("arrow", "iso8601", "qiniu", "requests", "werkzeug", "six"),
    "qiniu": ("requests", "six"),
    "arrow": ("python-dateutil", "types-python-dateutil"),
    "python-dateutil": ("six",),
    "gevent": ("greenlet", "zope.event", "zope.interface", "setuptools"),
    "zope.interface": ("setuptools",),
    "gevent-websocket": ("gevent",),
    "eventlet": ("greenlet", "dnspython", "six", "monotonic"),
    "celery": ("kombu", "billiard", "vine", "click", "click-didyoumean", "click-repl", "click-plugins",
               "python-dateutil", "tzdata", "pytz", "importlib-metadata"),
    "kombu": ("amqp", "vine", "tzdata", "typing-extensions"),
    "amqp": ("vine",),
    "boto3": ("botocore", "s3transfer", "jmespath"),
    "botocore": ("jmespath", "python-dateutil", "urllib3"),
    "s3transfer": ("botocore",),
    "pandas": ("numpy", "python-dateutil", "pytz", "tzdata"),
    "matplotlib": ("numpy", "python-dateutil", "pillow", "pyparsing", "cycler", "kiwisolver", "fonttools",
                   "packaging", "contourpy"),
    "seaborn": ("numpy", "pandas", "matplotlib"),
    "scipy": ("numpy",),
    "scikit-learn": ("numpy", "scipy", "joblib", "threadpoolctl"),
    "scikit-image": ("numpy", "scipy", "pillow", "imageio", "networkx", "tifffile", "packaging", "lazy-loader"),
    "opencv-python": ("numpy",),
    "opencv-python-headless": ("numpy",),
    "opencv-contrib-python": ("numpy",),
    "opencv-contrib-python-headless": ("numpy",),
    "cryptography": ("cffi", "pycparser"),
    "pyopenssl": ("cryptography", "cffi", "pycparser"),
    "cffi": ("pycparser",),
    "bcrypt": ("cffi",),
    "pynacl": ("cffi",),
    "paramiko": ("bcrypt", "cryptography", "pynacl", "cffi", "pycparser"),
    "python-jose": ("ecdsa", "rsa", "pyasn1"),
    "rsa": ("pyasn1",),
    "pymongo": ("dnspython",),
    "redis": ("async-timeout",),
    "sqlalchemy": ("greenlet", "typing-extensions"),
    "flask-sqlalchemy": ("sqlalchemy", "flask"),
    "flask-migrate": ("alembic", "flask-sqlalchemy", "flask"),
    "alembic": ("sqlalchemy", "mako", "typing-extensions"),
    "mako": ("markupsafe",),
    "flask-wtf": ("flask", "wtforms", "itsdangerous"),
    "wtforms": ("markupsafe",),
    "flask-login": ("flask", "werkzeug"),
    "flask-socketio": ("flask", "python-socketio"),
    "python-socketio": ("python-engineio", "bidict"),
    "python-engineio": ("simple-websocket",),
    "flask-jwt-extended": ("flask", "werkzeug", "pyjwt"),
    "flask-cors": ("flask", "werkzeug"),
    "beautifulsoup4": ("soupsieve", "typing-extensions"),
    "openai": ("httpx", "pydantic", "anyio", "distro", "jiter", "sniffio", "tqdm", "typing-extensions"),
    "selenium": ("urllib3", "trio", "trio-websocket", "certifi", "typing-extensions", "websocket-client"),
    "sentry-sdk": ("urllib3", "certifi"),
    "jsonschema": ("attrs", "referencing", "rpds-py", "jsonschema-specifications", "pyrsistent", "six"),
    "channels": ("django", "asgiref"),
    "daphne": ("twisted", "autobahn", "asgiref"),
    "oss2": ("requests", "crcmod", "pycryptodome", "aliyun-python-sdk-kms", "aliyun-python-sdk-core", "six"),
    "aliyun-python-sdk-core": ("jmespath", "cryptography"),
    "cos-python-sdk-v5": ("requests", "six", "xmltodict", "crcmod", "pycryptodome"),
    "tencentcloud-sdk-python": ("requests",),
    "wechatpy": ("requests", "xmltodict", "python-dateutil", "six", "cryptography", "pycryptodome"),
    "google-auth": ("cachetools", "pyasn1-modules", "rsa", "six"),
    "google-api-core": ("googleapis-common-protos", "protobuf", "google-auth", "requests", "proto-plus"),
    "google-api-python-client": ("httplib2", "google-auth", "google-auth-httplib2", "google-api-core",
                                 "uritemplate"),
    "grpcio-tools": ("grpcio", "protobuf", "setuptools"),
    "scrapy": ("twisted", "cryptography", "cssselect", "itemloaders", "parsel", "pyopenssl", "queuelib",
               "service-identity", "w3lib", "zope.interface", "protego", "itemadapter", "packaging", "tldextract",
               "lxml", "defusedxml", "pydispatcher"),
    "apscheduler": ("tzlocal", "six", "pytz", "setuptools"),
    "marshmallow": ("packaging",),
    "xlsxwriter": (),
    "openpyxl": ("et-xmlfile",),
    "python-docx": ("lxml", "typing-extensions"),
    "python-pptx": ("lxml", "pillow", "xlsxwriter", "typing-extensions"),
    "torch": ("filelock", "typing-extensions", "sympy", "networkx", "jinja2", "fsspec", "setuptools"),
    "transformers": ("filelock", "huggingface-hub", "numpy", "packaging", "pyyaml", "regex", "requests",
                     "tokenizers", "safetensors", "tqdm"),
    "huggingface-hub": ("filelock", "fsspec", "packaging", "pyyaml", "requests", "tqdm", "typing-extensions"),
    "waitress": (),
    "whitenoise": (),
    "pyjwt": (),
    "six": (),
    "click": ("colorama",),
    "tqdm": ("colorama",),
}

#: Extras that install more than the extra's own name says.
EXTRAS: dict[tuple[str, str], tuple[str, ...]] = {
    ("uvicorn", "standard"): ("uvloop", "httptools", "websockets", "watchfiles", "python-dotenv", "pyyaml", "colorama"),
    ("fastapi", "all"): ("uvicorn", "jinja2", "python-multipart", "email-validator", "httpx", "itsdangerous",
                         "pyyaml", "ujson", "orjson", "pydantic-settings", "pydantic-extra-types", "fastapi-cli"),
    ("fastapi", "standard"): ("uvicorn", "jinja2", "python-multipart", "email-validator", "httpx",
                              "fastapi-cli"),
    ("celery", "redis"): ("redis",),
    ("requests", "socks"): ("pysocks",),
    ("pyjwt", "crypto"): ("cryptography",),
    ("python-jose", "cryptography"): ("cryptography",),
    ("passlib", "bcrypt"): ("bcrypt",),
    ("django", "argon2"): ("argon2-cffi",),
    ("django", "bcrypt"): ("bcrypt",),
}

#: A requirement whose name starts with one of these brings the framework (and its dependencies).
PLUGIN_PREFIXES: dict[str, str] = {"flask-": "flask", "django-": "django", "djangorestframework-": "django"}

#: Never reported: always present where pip runs, or provided by the server that imports the app.
NEVER_REPORTED = frozenset({"setuptools", "pkg_resources", "pip", "wheel", "_distutils_hack", "uwsgi",
                            "uwsgidecorators", "__main__", "__builtin__", "__builtins__"})

#: Top-level packages shared by many distributions (PEP 420 namespaces): only a known dotted name
#: (`google.protobuf`) or a requirement named like the dotted module (`google-cloud-storage`)
#: tells what provides them.
NAMESPACE_PACKAGES = frozenset({"google", "azure", "zope", "ruamel", "backports", "jaraco", "sphinxcontrib",
                                "oslo", "paste", "repoze", "flufl", "plone", "collective", "opentelemetry"})

#: Standard library modules of other Python versions than the one lean-lint runs on (the platform's
#: may be older or newer): removed in 3.12 / 3.13, or Python 2 names.
OTHER_STDLIB = frozenset(
    """
    distutils imp asynchat asyncore smtpd aifc audioop cgi cgitb chunk crypt imghdr mailcap msilib nis nntplib
    ossaudiodev pipes sndhdr spwd sunau telnetlib uu xdrlib lib2to3 tomllib zoneinfo graphlib _bootlocale
    binhex formatter parser symbol macpath dummy_threading _dummy_thread
    urllib2 urlparse ConfigParser StringIO cStringIO cPickle httplib Queue __builtin__ HTMLParser Cookie
    cookielib SocketServer commands thread dummy_thread xmlrpclib SimpleXMLRPCServer DocXMLRPCServer
    BaseHTTPServer SimpleHTTPServer CGIHTTPServer exceptions sets md5 sha new htmlentitydefs copy_reg repr
    UserDict UserList UserString anydbm dbhash whichdb dumbdbm gdbm Tkinter tkMessageBox tkFileDialog ttk
    robotparser user mimetools rfc822 popen2 mimetypes2 mhlib MimeWriter multifile posixfile dircache
    statvfs imputil ihooks compiler hotshot future_builtins cookielib markupbase Bastion rexec sre
    """.split()
)


def stdlib_names() -> frozenset[str]:
    """The standard library of every Python version the platform offers (shipped data, not the
    interpreter lean-lint runs on)."""
    return all_stdlib_modules() | OTHER_STDLIB


STDLIB = stdlib_names()

_AFFIX_RE = re.compile(r"^(?:python-?|py-?)|(?:-?python\d?|-py\d?|-sdk|-client|-binary|-headless|-lite|-cpu|-gpu|-ng|\d+)$")


def _tokens(name: str) -> list[str]:
    return normalize_name(name).split("-")


def _contains_tokens(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def name_is(import_name: str, distribution: str) -> bool:
    """Is the distribution's name the import's name, give or take PEP 503 normalization, glued words
    and the usual affixes? `flask_cors` ~ `Flask-Cors`, `dotenv` ~ `python-dotenv`, `msgpack` ~
    `msgpack-python`, `faiss` ~ `faiss-gpu`: another name, build or fork of the same project."""
    want = _tokens(import_name)
    have = _tokens(distribution)
    if want == have or "".join(want) == "".join(have):
        return True
    stripped = _AFFIX_RE.sub("", normalize_name(distribution))
    return stripped == normalize_name(import_name) or stripped.replace("-", "") == "".join(want)


def name_matches(import_name: str, distribution: str) -> bool:
    """Does the distribution's name mention `import_name` (a top-level or dotted module)? `name_is`,
    or the import's words appear in order among the distribution's words: `telegram` ~
    `python-telegram-bot`, `google.cloud.storage` ~ `google-cloud-storage`, and also `redis` ~
    `django-redis` and `requests` ~ `types-requests`, which is why `Provider` takes this weaker
    resemblance only for import names no known distribution is recorded to provide."""
    return name_is(import_name, distribution) or _contains_tokens(_tokens(distribution), _tokens(import_name))


def stub_only(distribution: str) -> bool:
    """A distribution of type stubs only (typeshed's `types-X`, PEP 561's `X-stubs`): it installs no
    module the app can import."""
    name = normalize_name(distribution)
    return name.startswith("types-") or name.endswith("-stubs")


def _known(normalized: str) -> bool:
    """Does lean-lint have data on the distribution (the curated dependencies or the shipped wheels)?"""
    return normalized in _KNOWN_DEPENDENCIES or shipped.requires(normalized) is not None


_KNOWN_DEPENDENCIES = {normalize_name(k): v for k, v in DEPENDENCIES.items()}


def plugin_targets(normalized: str) -> tuple[str, ...]:
    """What an unknown framework plugin plugs in, besides the framework: the known distributions its
    name is made of after the plugin prefix (`django-redis` -> redis, `flask-pymongo` -> pymongo,
    `django-redis-sessions` -> redis). Plugins are named after what they join and depend on it."""
    for prefix in PLUGIN_PREFIXES:
        if normalized.startswith(prefix):
            rest = normalized[len(prefix):].split("-")
            break
    else:
        return ()
    found = []
    for i in range(len(rest)):
        for j in range(i + 1, len(rest) + 1):
            name = "-".join(rest[i:j])
            if _known(name) and name not in found:
                found.append(name)
    return tuple(found)


# -- the import names a set of requirements provides ------------------------------------------------


@dataclass
class Provider:
    """What a project's requirements provide, computed once per run."""

    #: Normalized names of the requirements (constraints excluded), plus what they bring.
    requirements: frozenset[str]
    #: Extras named on requirements: (normalized name, extra).
    extras: frozenset[tuple[str, str]] = frozenset()
    #: `[tool.lean-lint] module-map`: import name -> distribution, as configured.
    overrides: tuple[tuple[str, str], ...] = ()
    #: Import names made available by other means (leanengine.yaml `systemDependencies`).
    extra_modules: frozenset[str] = frozenset()
    _closure: frozenset[str] | None = field(default=None, repr=False)
    _opaque: bool | None = field(default=None, repr=False)

    @property
    def provided(self) -> frozenset[str]:
        """The requirements and, transitively, what they bring (normalized distribution names)."""
        if self._closure is None:
            self._closure = self._compute_closure()
        return self._closure

    @property
    def has_opaque(self) -> bool:
        """Is some requirement's set of dependencies unknown (in neither DEPENDENCIES nor the shipped
        data)? Such a requirement provides only the names it plausibly installs itself."""
        if self._closure is None:
            self._closure = self._compute_closure()
        return bool(self._opaque)

    def _compute_closure(self) -> frozenset[str]:
        known = _KNOWN_DEPENDENCIES
        seen: set[str] = set()
        stack = list(self.requirements)
        for name, extra in self.extras:
            stack += [normalize_name(d) for d in EXTRAS.get((name, extra), ())] + [normalize_name(extra)]
        opaque = False
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            deps: Iterable[str] | None = known.get(name)
            data = shipped.requires(name)
            if deps is None:
                for prefix, framework in PLUGIN_PREFIXES.items():
                    if name.startswith(prefix):
                        deps = (framework,) + (plugin_targets(name) if data is None else ())
                        break
            if data is not None:
                deps = tuple(deps or ()) + data
            if deps is None:
                if name in self.requirements:
                    opaque = True
                continue
            stack.extend(normalize_name(d) for d in deps)
        self._opaque = opaque
        return frozenset(seen)

    def override_for(self, module: str) -> str | None:
        """The configured distribution for `module` (the longest configured dotted prefix)."""
        best: tuple[int, str] | None = None
        for name, dist in self.overrides:
            if module == name or module.startswith(name + "."):
                if best is None or len(name) > best[0]:
                    best = (len(name), dist)
        return best[1] if best else None

    def explain_missing(self, module: str) -> str | None:
        """None when a requirement (or what it brings) may provide `module`, a dotted import name;
        else the distribution to suggest ("" when lean-lint does not know it)."""
        top = module.split(".")[0]
        if top in STDLIB or top in NEVER_REPORTED or top in self.extra_modules:
            return None
        override = self.override_for(module)
        if override is not None:
            return None if normalize_name(override) in self.provided else override
        provided = self.provided
        table = table_entry(module)
        if table is not None and any(normalize_name(d) in provided for d in table):
            return None
        wheels = shipped.providers(module, 2 if top in NAMESPACE_PACKAGES else 1)
        if any(d in provided for d in wheels):
            return None
        if table is None and wheels:
            table = tuple(shipped.display_name(d) for d in wheels)
        if top in NAMESPACE_PACKAGES:
            return self._namespace(module, table)
        if self._named_after(top, provided, attributed=table is not None or bool(wheels)):
            return None
        if top.startswith("aliyunsdk") and any(d.startswith("aliyun-python-sdk") for d in provided):
            return None
        return table[0] if table is not None else ""

    @staticmethod
    def _named_after(top: str, provided: frozenset[str], attributed: bool) -> bool:
        """Does a requirement (or what it brings) provide `top` by its name alone? This is all an unknown
        requirement provides. Where the data records which distributions install `top` (`attributed`:
        `yaml` is PyYAML's, `requests` is requests'), only a distribution whose name *is* `top`
        counts (a fork, a build, a legacy name: `msgpack-python`, `faiss-gpu`); a name that merely
        mentions it (`types-requests`, `yaml-config-loader`) does not, so a real missing package is
        still reported. A stub-only distribution provides nothing."""
        match = name_is if attributed else name_matches
        return any(match(top, dist) for dist in provided if not stub_only(dist))

    def _namespace(self, module: str, table: tuple[str, ...] | None) -> str | None:
        """A module of a namespace package (`google.cloud.storage`): None when provided or when
        lean-lint cannot tell by what, else the distribution to suggest."""
        parts = module.split(".")
        if len(parts) < 2:
            return None
        for i in range(len(parts), 1, -1):
            dotted = ".".join(parts[:i])
            if any(name_matches(dotted, dist) for dist in self.provided):
                return None
        if table is not None:
            return table[0]
        if parts[0] == "google" and len(parts) >= 3 and parts[1] == "cloud":
            if any(d.startswith("google-cloud") for d in self.provided):
                return None  # google-cloud-* distributions also bring sibling packages
            return "google-cloud-" + parts[2].replace("_", "-")
        return None  # which distribution provides it is not known


def table_entry(module: str) -> tuple[str, ...] | None:
    """The curated distributions for a dotted import name (longest matching dotted prefix)."""
    parts = module.split(".")
    for i in range(len(parts), 0, -1):
        found = IMPORT_TO_DISTRIBUTIONS.get(".".join(parts[:i]))
        if found is not None:
            return found
    return None
