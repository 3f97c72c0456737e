# Shared by the integration scripts: `check NAME COMMAND...` counts passes and failures and
# prints one line each; `json EXPR` evaluates EXPR over the JSON on standard input (as `d`);
# `finish NAME` prints the closing "N passed, M failed" line and sets the exit status.
passed=0
failed=0
check() {
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok     $name"; else failed=$((failed + 1)); echo "FAILED $name"; fi
}
quiet() { "$@" > /dev/null; }
json() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
finish() {
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
