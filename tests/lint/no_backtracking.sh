#!/usr/bin/env bash
# No backtracking or recursive matcher runs over input: libstdc++'s std::regex recurses once per
# character it matches, so a long enough token overflows the stack (a 40 KB e-mail crashed
# `kizuna ingest`). This check fails when <regex> is included anywhere under src/.
# An exception needs a line in tests/lint/regex_allowed.txt: the file, then why its input is
# bounded (for example "src/x/y.cpp: patterns from kizuna.toml over 200-byte lines").
set -euo pipefail
root=${1:-$(dirname "$0")/../..}
allowed=$root/tests/lint/regex_allowed.txt
bad=0
while IFS= read -r file; do
  rel=${file#"$root"/}
  if [ -f "$allowed" ] && grep -q "^$rel: ..*" "$allowed"; then continue; fi
  echo "$rel includes <regex>: use a hand-written scanner (see src/coord/replies.cpp), or give a reason in tests/lint/regex_allowed.txt" >&2
  bad=1
done < <(grep -rlE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<regex>' "$root/src" || true)
exit $bad
