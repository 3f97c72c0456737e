#!/usr/bin/env bash
# Every C++ file of the tree is formatted as clang-format-14 (Debian bookworm's, pinned in
# ./dev deps) formats it with the tree's .clang-format: a diff then holds only what changed.
# Prints each file that is not, with the command that fixes it; exit 1 when there is one.
set -euo pipefail
root=${1:-$(dirname "$0")/../..}
fmt=$(command -v clang-format-14 || true)
if [ -z "$fmt" ]; then
  echo "clang-format-14 is missing: ./dev deps installs it" >&2
  exit 1
fi
bad=0
while IFS= read -r -d '' file; do
  if ! "$fmt" --style=file --dry-run --Werror "$file" > /dev/null 2>&1; then
    echo "${file#"$root"/} is not formatted: clang-format-14 -i ${file#"$root"/}" >&2
    bad=1
  fi
done < <(find "$root/src" "$root/fuzz" "$root/bench" "$root/tests" \
           \( -name '*.cpp' -o -name '*.h' \) -not -path '*/testdata/*' -print0 2>/dev/null)
exit $bad
