"""LE503 log-to-file."""

from __future__ import annotations

from typing import Any

import libcst as cst

from analyzer.model.resolver import argument
from analyzer.rules.disk._disk import (
    _FILE_HANDLERS,
    _LOG_MESSAGE,
    _dict_get,
    _dict_items,
    _DiskRule,
    _is_stream_file,
    _keyword_value,
    _shown,
    _strings,
)
from analyzer.types import Case, Severity


class LogToFile(_DiskRule):
    code = "LE503"
    name = "log-to-file"
    severity = Severity.WARNING
    summary = "Logging goes to a file, but the platform only collects what the app writes to stdout and stderr."
    why = (
        "Cloud Engine collects the app's standard output and standard error and shows them as the app's "
        "logs (4096 characters a line, 600 lines a minute). A log file on the container's disk is never "
        "shown there, and it disappears with the container on the next deploy. lean-lint reports "
        "`logging.FileHandler` and its rotating kin, `logging.basicConfig(filename=...)`, `dictConfig` "
        "handlers of those classes (Django's `LOGGING` setting included) and loguru's "
        "`logger.add('file.log')`."
    )
    example = Case(
        {
            "wsgi.py": """
                import logging

                from flask import Flask

                logging.basicConfig(filename='app.log', level=logging.INFO)
                application = Flask(__name__)
                """,
        },
        ("wsgi.py:5:21",),
    )
    fix = (
        "Log to a stream: logging.StreamHandler() writes to stderr, and basicConfig() without filename= does too.\n"
        "```\n"
        "logging.basicConfig(stream=sys.stdout, level=logging.INFO)\n"
        "```"
    )
    tags = ("python", "logging")
    keywords = ("FileHandler", "basicConfig", "loguru")

    fires = (
        Case(
            {
                "wsgi.py": """
                    import logging
                    application = None
                    def configure(path):
                        logging.basicConfig(filename=path)
                    configure('app.log')
                """,
            },
            (
                "wsgi.py:4:25: logging.basicConfig(filename=...) logs to a file: the platform keeps only stdout and stderr",
            ),
            note="the file name comes from the caller",
        ),
        Case(
            {"wsgi.py": "import logging\napplication = None\nlogging.getLogger().addHandler(logging.FileHandler('app.log'))\n"},
            (
                "wsgi.py:3:32: logging.FileHandler logs to a file: the platform keeps only stdout "
                "and stderr",
            ),
        ),
        Case(
            {
                "wsgi.py": """
                    import logging
                    from logging.handlers import RotatingFileHandler as RFH
                    application = None
                    logging.basicConfig(filename='/home/leanengine/tmp/app.log', level=logging.INFO)
                    handler = RFH('app.log', maxBytes=10000)
                """
            },
            (
                "wsgi.py:4:21: logging.basicConfig(filename=...) logs to a file: the platform "
                "keeps only stdout and stderr",
                "wsgi.py:5:11",
            ),
        ),
        Case(
            {
                "wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
                "mysite/__init__.py": "",
                "mysite/settings.py": """
                    LOGGING = {
                        'version': 1,
                        'handlers': {
                            'file': {'class': 'logging.FileHandler', 'filename': 'debug.log'},
                            'console': {'class': 'logging.StreamHandler'},
                        },
                        'root': {'handlers': ['file', 'console']},
                    }
                """,
            },
            (
                "mysite/settings.py:4:27: the logging handler 'file' is a logging.FileHandler, "
                "which logs to a file: the platform keeps only stdout and stderr",
            ),
        ),
        Case(
            {"wsgi.py": "import logging.config\nfrom loguru import logger\napplication = None\n"
             "logger.add('app.log', rotation='1 MB')\n"
             "logging.config.dictConfig({'version': 1, 'handlers': {'f': {'class': 'logging.handlers.WatchedFileHandler', 'filename': 'x.log'}}})\n"},
            ("wsgi.py:4:1", "wsgi.py:5:70"),
        ),
    )
    near_misses = (
        Case(
            {
                "wsgi.py": """
                    import logging
                    application = None
                    def setup_logging(level, log_dir=None):
                        logging.basicConfig(level=level)
                        if log_dir:
                            logging.getLogger().addHandler(logging.FileHandler(log_dir + '/app.log'))
                    setup_logging(logging.INFO)
                """,
            },
            note="a branch on a parameter no caller passes: its default None is false",
        ),
        Case({"wsgi.py": "import logging, sys\napplication = None\nlogging.basicConfig(stream=sys.stdout)\n"
              "logging.basicConfig(filename=None)\nlogging.getLogger().addHandler(logging.StreamHandler())\n"
              "logging.FileHandler('/dev/stdout')\n"}, note="streams"),
        Case({"wsgi.py": "from loguru import logger\nimport sys\napplication = None\nlogger.add(sys.stderr)\n"},
             note="loguru to stderr"),
        Case({"wsgi.py": "import logging\nfrom flask import Flask\napp = application = Flask(__name__)\n"
              "if __name__ == '__main__':\n    logging.basicConfig(filename='dev.log')\n    app.run()\n"},
             note="a __main__ block that does not run under WSGI"),
        Case({"wsgi.py": "import logging\napplication = None\nif os.environ.get('LOG_TO_FILE'):\n"
              "    logging.getLogger().addHandler(logging.FileHandler('app.log'))\n"
              "def setup(path):\n    logging.basicConfig(filename=path)\n"},
             note="a branch picked by the environment; an unknown filename"),
        Case({"wsgi.py": "application = None\nCONFIG = {'version': 1, 'handlers': {'f': {'class': 'logging.FileHandler'}}}\n"},
             note="a dict that is neither Django's LOGGING nor given to dictConfig"),
    )

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._reported: set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        qual = self.qualified(node.func)
        if qual in _FILE_HANDLERS:
            filename = argument(node, 0, "filename")
            if filename is not None and self.resolve_path(filename).all(_is_stream_file):
                return
            self._report(node, f"{qual} logs to a file: {_LOG_MESSAGE}", "")  # the rule's fix says it
        elif qual == "logging.basicConfig":
            arg = _keyword_value(node, "filename")
            if arg is None or not _strings(self.resolve(arg.value)):
                return
            if self.resolve_path(arg.value).all(_is_stream_file):
                return
            self._report(
                arg,
                f"logging.basicConfig(filename=...) logs to a file: {_LOG_MESSAGE}",
                "Leave out filename=, so that basicConfig() logs to stderr.",
            )
        elif qual == "loguru.logger.add":
            sink = argument(node, 0, "sink")
            if sink is None or not _strings(self.resolve(sink)) or self.resolve_path(sink).all(_is_stream_file):
                return
            self._report(
                node, f"logger.add() with a file path logs to a file: {_LOG_MESSAGE}", "Use logger.add(sys.stderr) instead."
            )
        elif qual == "logging.config.dictConfig":
            config = argument(node, 0, "config")
            if isinstance(config, cst.Name):
                bindings = self.bindings(config) or []
                config = bindings[0].expr if len(bindings) == 1 and bindings[0].kind == "value" else None
            if config is not None:
                self._check_dict_config(config)

    def visit_Assign(self, node: cst.Assign) -> None:
        """Django's LOGGING setting: Django passes it to dictConfig."""
        if self.at_module_level() and any(isinstance(t.target, cst.Name) and t.target.value == "LOGGING" for t in node.targets):
            if _dict_get(node.value, "version") is not None:
                self._check_dict_config(node.value)

    def _check_dict_config(self, config: cst.BaseExpression) -> None:
        handlers = _dict_get(config, "handlers")
        for name, handler in _dict_items(handlers) if handlers is not None else ():
            cls = _dict_get(handler, "class")
            if cls is None or not self.resolve(cls).all(lambda o: o in _FILE_HANDLERS):
                continue
            filename = _dict_get(handler, "filename")
            if filename is not None and self.resolve_path(filename).all(_is_stream_file):
                continue
            self._report(
                cls,
                f"the logging handler {name!r} is a {_shown(self.resolve(cls))}, which logs to a file: {_LOG_MESSAGE}",
                "Use 'class': 'logging.StreamHandler' instead.",
            )

    def _report(self, node: cst.CSTNode, message: str, hint: str) -> None:
        if id(node) in self._reported or self.in_environment_branch():
            return
        self._reported.add(id(node))
        self.report(node, message, hint=hint)
