# The image of the lean-lint GitHub Action (action.yml: `runs.image: Dockerfile`).
#
# The runner builds this image at the start of every job that uses the action, so the build is one
# stage that installs wheels and compiles nothing:
# 1. the pinned dependencies and build backend from action/constraints.txt, before any source is
#    copied: that layer depends on the pins alone, so wherever a layer cache is kept (a local build,
#    a published image's rebuilds) a change to lean-lint's code does not reinstall them;
# 2. lean-lint itself, built with the setuptools installed in step 1 (no isolated build environment
#    to download) and without dependencies (step 1 installed them); `pip check` fails the build if
#    the pins do not satisfy pyproject.toml. setuptools and the source are then removed.
#
# GitHub's Dockerfile rules for actions: no USER (the action runs as root, the owner of the mounted
# $GITHUB_WORKSPACE), no WORKDIR (the runner sets the working directory to $GITHUB_WORKSPACE).

FROM python:3.12.12-slim-bookworm
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
COPY action/constraints.txt /tmp/constraints.txt
RUN pip install --no-cache-dir --no-deps --only-binary=:all: --requirement /tmp/constraints.txt
COPY . /tmp/lean-lint
RUN pip install --no-cache-dir --no-deps --no-build-isolation /tmp/lean-lint \
    && pip check \
    && pip uninstall --yes setuptools \
    && rm -rf /tmp/lean-lint /tmp/constraints.txt

# The console command `pip install .` installs (pyproject.toml [project.scripts]): the same command
# the test suite runs outside Docker. It reads the action's inputs from INPUT_* variables.
ENTRYPOINT ["lean-lint-action"]
