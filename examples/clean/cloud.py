from leancloud import Engine

from app import app

engine = Engine(app)


@engine.define
def hello(**params):
    return "Hello, {}!".format(params.get("name", "LeanCloud"))
