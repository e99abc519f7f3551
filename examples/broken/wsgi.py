import logging
import sqlite3

from flask import Flask

app = Flask(__name__)
db = sqlite3.connect("app.db")
logging.getLogger().addHandler(logging.FileHandler("app.log"))


@app.route("/")
def index():
    with open("visits.txt", "a") as counter:
        counter.write("visit\n")
    return "ok"


app.run(host="127.0.0.1", port=5000)
