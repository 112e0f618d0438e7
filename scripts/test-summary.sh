#!/usr/bin/env bash
# Sums the per-assembly lines of `dotnet test` ("Passed!  - Failed:     0, Passed:   549, Skipped:     0, ...")
# into one closing line: "N passed, N failed, N skipped". Reads the log from the file named by $1, or stdin.
# Pure bash on purpose: the summary once looped forever under GNU awk (it assigned fields past the last one),
# and installing Debian packages can swap mawk for GNU awk under us. tests/Portfolio.Cli.Tests runs this script.
set -euo pipefail
passed=0 failed=0 skipped=0
pattern='(Passed|Failed)! +- +Failed: +([0-9,]+), +Passed: +([0-9,]+), +Skipped: +([0-9,]+)'
while IFS= read -r line || [ -n "$line" ]; do
  if [[ $line =~ $pattern ]]; then
    f=${BASH_REMATCH[2]//,/} p=${BASH_REMATCH[3]//,/} s=${BASH_REMATCH[4]//,/}
    failed=$((failed + 10#$f)) passed=$((passed + 10#$p)) skipped=$((skipped + 10#$s))
  fi
done < "${1:-/dev/stdin}"
printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
