"""What the platform runs and what names hold there: the project, its first-pass scan and import
graph, the value resolver, bindings, routes, the requirements pip installs."""
