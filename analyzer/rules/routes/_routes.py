"""Shared by the routes rules (LE704, LE705)."""

from __future__ import annotations

from typing import Optional

from analyzer.model.project import Project
from analyzer.model.routes import DJANGO_WSGI, Origin, constructs_engine, route_objects

_FLASK_WSGI = "from app import app as application\n"
_UVICORN = "run: uvicorn main:app --host 0.0.0.0 --port ${LEANCLOUD_APP_PORT}\n"


_DJANGO_WSGI = (
    "import os\nfrom django.core.wsgi import get_wsgi_application\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\napplication = get_wsgi_application()\n"
)


def _engine_constructed(project: Project) -> bool:
    """Does any uploaded file construct a `leancloud.Engine` (which answers /__engine/1/ping)?"""

    for rel in project.python_files:
        text = project.python_text(rel) or ""
        if "Engine" in text and "leancloud" in text and constructs_engine(project, rel):
            return True
    return False


def _served(project: Project, app: Optional[Origin]) -> bool:
    """Is the app (None: the Django project) what the platform serves?"""
    objs = route_objects(project)

    def is_app(rel: Optional[str], name: str) -> bool:
        if rel is None:
            return False
        origin = objs.module_attr(rel, name)
        if origin is None:
            return False
        return origin == app if app is not None else origin.qualname in DJANGO_WSGI

    run = project.run
    if run is None:
        return is_app(project.build_path("wsgi.py"), "application")
    if run.script and run.tool not in ("python", "django-runserver"):
        return is_app(project.build_path(run.script), "application")  # uwsgi --wsgi-file wsgi.py
    if run.module:
        if run.tool in ("python",):
            return True
        return is_app(project.module_file(run.module), run.app_attr or "application")
    return run.tool in ("python", "flask", "django-runserver")
