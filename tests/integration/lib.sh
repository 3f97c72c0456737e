# Shared by the integration scripts: `check NAME COMMAND...` counts passes and failures and
# prints one line each; `json EXPR` evaluates EXPR over the JSON on standard input (as `d`);
# `finish NAME` prints the closing "N passed, M failed" line and sets the exit status.
# `free_port [tcp|udp]` prints a port on 127.0.0.1 that is free right now; `start_server NAME
# DIR COMMAND...` runs a coord_servers.py-style server (it writes --ready FILE with its port)
# in the background and waits for it, so tests never guess a port another test may hold.
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
free_port() {
  /usr/bin/python3 -c 'import socket, sys
s = socket.socket(type=socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "${1:-tcp}"
}
# start_server NAME DIR COMMAND...: COMMAND gets `--ready DIR/NAME.ready` appended, its stderr
# goes to DIR/NAME.err; waits (at most 10 s) for the ready file. Sets $last_pid; returns 1 and
# shows the server's stderr when it died or never became ready.
start_server() {
  local name=$1 dir=$2; shift 2
  rm -f "$dir/$name.ready"
  "$@" --ready "$dir/$name.ready" 2> "$dir/$name.err" &
  last_pid=$!
  local _
  for _ in $(seq 100); do
    [ -s "$dir/$name.ready" ] && return 0
    kill -0 "$last_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "server $name did not become ready:"; cat "$dir/$name.err"
  return 1
}
