"""LE701: LeanCloud keys written as literals in the code.

The platform puts the app's keys in the environment (`LEANCLOUD_APP_ID`, `LEANCLOUD_APP_KEY`,
`LEANCLOUD_APP_MASTER_KEY`, `LEANCLOUD_APP_HOOK_KEY`), so code never needs them written down; a key in
the code is in the repository, its history and every copy of the upload. The rule looks at every
uploaded file (a secret leaks whether or not the platform runs the file).

A string is reported only when both its context and its shape say it is a key:

* context: an argument of `leancloud.init(...)`; the default, fallback or new value of a key variable
  (`os.environ.get('LEANCLOUD_APP_KEY', '...')`, `os.environ['LEANCLOUD_APP_MASTER_KEY'] = '...'`); a
  value named like one (`LEANCLOUD_APP_KEY = '...'`, `{'lc_master_key': '...'}`; bare `MASTER_KEY` /
  `APP_KEY` / `APP_ID` / `HOOK_KEY` only in modules that import `leancloud`); or a constant that reaches
  `leancloud.init` through names, in the same module or imported from another (reported at the literal,
  saying where it is used);
* shape: letters and digits with both kinds, 16 to 64 characters (exactly LeanCloud's 24, plus the
  region suffix of an App ID, for the weaker bare names), and nothing of a placeholder (`your-app-key`,
  `xxx`, `changeme`, `<MASTER_KEY>`, `${...}`).

Messages show at most the first four characters of a key."""
