"""Entry points: the replaying `lean-lint` entry, the command line, the GitHub Action, `init`,
and the README's rule docs generator."""
