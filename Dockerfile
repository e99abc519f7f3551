# The image of the lean-lint GitHub Action (action.yml: `runs.image: Dockerfile`).
#
# The build stage turns the build context (this repository, trimmed by .dockerignore) into a wheel;
# the final stage installs that wheel and nothing else, so neither the source tree nor the build
# backend (setuptools, fetched into pip's temporary build environment) stays in the image.
#
# GitHub's Dockerfile rules for actions: no USER (the action runs as root, the owner of the mounted
# $GITHUB_WORKSPACE), no WORKDIR (the runner sets the working directory to $GITHUB_WORKSPACE).

FROM python:3.12.12-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY . /src
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels /src

FROM python:3.12.12-slim-bookworm
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels

# The console command `pip install .` installs (pyproject.toml [project.scripts]): the same command
# the test suite runs outside Docker. It reads the action's inputs from INPUT_* variables.
ENTRYPOINT ["lean-lint-action"]
