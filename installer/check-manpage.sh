#!/usr/bin/env bash
# check-manpage.sh PROGRAM PAGE: every long option and every command that
# `PROGRAM --help` lists (and, for each command, `PROGRAM COMMAND --help`)
# must appear in the manual page PAGE. Prints what is missing; exit 1 if any.
set -euo pipefail
program=$1
page=$2

# The page as plain text: roff escapes for '-' and font changes removed.
text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(em/-/g' "$page")
missing=0

# check_help WORDS...: the options and commands of `program WORDS... --help`.
check_help() {
  local help
  help=$("$program" "$@" --help 2>/dev/null) || {
    echo "check-manpage: '$program $* --help' failed" >&2
    exit 1
  }
  local option
  for option in $(grep -oE -- '--[a-z][a-z0-9-]*' <<<"$help" | sort -u); do
    if ! grep -qF -- "$option" <<<"$text"; then
      echo "$page: ${*:+$* }$option is in --help but not in the manual page"
      missing=1
    fi
  done
  # CLI11 lists commands under "Subcommands:", two spaces in, one per line.
  local command
  for command in $(sed -n '/^Subcommands:/,/^$/{/^  [a-z]/{s/^  \([a-z][a-z-]*\).*/\1/p}}' <<<"$help"); do
    if ! grep -qE -- "(^|[^a-z-])$command([^a-z-]|$)" <<<"$text"; then
      echo "$page: command '$* $command' is in --help but not in the manual page"
      missing=1
    fi
    check_help "$@" "$command"
  done
}

check_help
if [ "$missing" = 0 ]; then
  echo "$page: documents every option and command of $(basename "$program") --help"
fi
exit "$missing"
