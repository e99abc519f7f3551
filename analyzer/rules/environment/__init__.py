"""LE706-LE708: what the platform puts in the environment, and what code assumes instead.

Cloud Engine sets a fixed list of `LEANCLOUD_*` variables (and the console cannot set others with that
prefix), gives `LEANCLOUD_APP_ENV` one of three values, and says where the app's API server is in
`LEANCLOUD_API_SERVER`. These rules report code that reads a variable that is never set, compares
`LEANCLOUD_APP_ENV` with a value it never takes, or writes down an API host. All three look only at
the files the platform runs: elsewhere (tests, scripts) the developer's own tooling may set what it
likes."""
