# -*- coding: utf-8 -*-
"""The official Cloud Engine Python template's entry point."""
import os

import leancloud

from app import app
from cloud import engine

APP_ID = os.environ["LEANCLOUD_APP_ID"]
APP_KEY = os.environ["LEANCLOUD_APP_KEY"]
MASTER_KEY = os.environ["LEANCLOUD_APP_MASTER_KEY"]
PORT = int(os.environ.get("LEANCLOUD_APP_PORT", 3000))

leancloud.init(APP_ID, app_key=APP_KEY, master_key=MASTER_KEY)
leancloud.use_master_key(False)

application = engine

if __name__ == "__main__":
    from gevent.pywsgi import WSGIServer

    env = os.environ.get("LEANCLOUD_APP_ENV", "development")
    host = "localhost" if env == "development" else "0.0.0.0"
    server = WSGIServer((host, PORT), application)
    server.serve_forever()
