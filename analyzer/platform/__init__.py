"""Cloud Engine facts as data: what the platform installs and runs, each fact once."""
