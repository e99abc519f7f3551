"""LE601-LE604: which Python the platform installs (`.python-version`, and runtime.txt it ignores).

lean-cli reads `.python-version` at the build root as raw bytes and refuses the deploy unless they start
exactly with `2.` or `3.` (`strings.HasPrefix`): a BOM, a leading space or blank line, `system`, a bare
`3` or an implementation name fail. Only the start is checked, so a pyenv file with several versions, one
a line, passes when its first line does. These findings are about the whole file: they point at 1:1."""
