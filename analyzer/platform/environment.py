"""Environment variables the platform sets (REFERENCE.md: "Environment variables")."""

from __future__ import annotations

#: Variables the platform sets: reading one never falls back to the default.
PLATFORM_VARS = frozenset(
    {
        "LEANCLOUD_APP_ID", "LEANCLOUD_APP_KEY", "LEANCLOUD_APP_MASTER_KEY", "LEANCLOUD_APP_HOOK_KEY",
        "LEANCLOUD_APP_ENV", "LEANCLOUD_APP_PORT", "LEANCLOUD_API_SERVER", "LEANCLOUD_APP_GROUP",
        "LEANCLOUD_REGION", "LEANCLOUD_VERSION_TAG", "LEANCLOUD_AVAILABLE_CPUS",
    }
)


#: The variable holding the port the platform routes traffic and health checks to.
PORT_VAR = "LEANCLOUD_APP_PORT"
#: What the platform sets it to: during deploy it probes port 3000 (REFERENCE.md, "How the platform finds and starts a Python app").
PROBED_PORT = 3000

#: The values lean-lint assumes when it expands a `run:` line.
PLATFORM_ENV = {PORT_VAR: str(PROBED_PORT)}

#: The variable that tells the app where it runs, and every value it takes: 'production' in
#: production, 'stage' on the staging environment; unset or 'development' only locally (lean-cli).
ENV_VAR = "LEANCLOUD_APP_ENV"
ENV_VALUES = ("development", "stage", "production")

#: The values LEANCLOUD_APP_ENV takes where the platform runs the app: code that runs only when it is
#: 'development' (or unset) never runs there.
PLATFORM_APP_ENVS = ("stage", "production")

#: The platform's own namespace: users cannot set variables whose names start with it, so a read of
#: one the platform does not set always falls back to its default there.
RESERVED_PREFIX = "LEANCLOUD"
