"""LE000-LE003: findings about lean-lint's own run (the engine reports these, not visitors)."""
