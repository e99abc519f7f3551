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


#: The values lean-lint assumes when it expands a `run:` line.
PLATFORM_ENV = {
    "LEANCLOUD_APP_PORT": "3000",
}
