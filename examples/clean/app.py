import logging
import os
import sys
import tempfile

from flask import Flask, request

app = Flask(__name__)
logging.basicConfig(stream=sys.stdout, level=logging.INFO)
UPLOADS = "/home/leanengine/tmp/uploads"


@app.route("/")
def index():
    return "ok"


@app.route("/upload", methods=["POST"])
def upload():
    os.makedirs(UPLOADS, exist_ok=True)
    request.files["file"].save(os.path.join(UPLOADS, "latest"))
    with tempfile.NamedTemporaryFile("w") as scratch:
        scratch.write(request.headers.get("X-Real-IP", request.remote_addr or ""))
    with open("templates/greeting.txt") as handle:  # reading the app's own files is fine
        return handle.read()
