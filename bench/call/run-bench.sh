#!/usr/bin/env bash
# Runs the call benchmarks: a throwaway CA, a sightline-server on
# 127.0.0.1, then `sl-bench-call click` (20 calls each: Sightline and the
# tuned stock baseline alternating, then the naive stock baseline) and
# `sl-bench-call media` (10 s per configuration: Sightline, tuned stock,
# naive stock, on two contents).  Prints the load average at start and end:
# the machine should be otherwise idle for figures worth keeping.
#
#   bench/call/run-bench.sh [BUILD-DIR] [RUNS] [SECONDS]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
runs=${2:-20}
seconds=${3:-10}
work=$(mktemp -d /tmp/sl-bench-call.XXXXXX)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

ca=$build/src/ca/sightline-ca
"$ca" init --dir "$work/ca" >/dev/null
"$ca" issue-device --dir "$work/ca" --id bench-a --name "Bench A" --role goggles >/dev/null
"$ca" issue-device --dir "$work/ca" --id bench-b --name "Bench B" --role expert >/dev/null
"$ca" issue-server --dir "$work/ca" --ip 127.0.0.1 >/dev/null
cat >"$work/server.conf" <<CONF
[server]
listen=127.0.0.1
port=0
admin_listen=127.0.0.1
admin_port=0
cert=$work/ca/server/server.crt
key=$work/ca/server/server.key
ca=$work/ca/ca.crt
crl=$work/ca/crl.pem
CONF
exec 3< <("$build/src/server/sightline-server" --config "$work/server.conf" --ready-fd 1 2>"$work/server.log")
server_pid=$!
read -r ready <&3
port=$(echo "$ready" | sed -n 's/READY port=\([0-9]*\).*/\1/p')
echo "server on 127.0.0.1:$port; load: $(cut -d' ' -f1-3 /proc/loadavg)"
${SL_BENCH_WRAP:-} "$build/bench/call/sl-bench-call" click "wss://127.0.0.1:$port" "$work/ca" "$runs"
"$build/bench/call/sl-bench-call" media "$seconds"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
