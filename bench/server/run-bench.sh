#!/usr/bin/env bash
# Signalling-server benchmarks, Sightline beside the PeerJS server (npm
# package `peer`, over TLS), measured in the same run:
#
#   1. idle: N TLS WebSocket connections held open; server memory per
#      connection (Sightline: mutual TLS 1.3 with a device certificate each).
#   2. relay: P device pairs relay opaque blobs (2 KiB like SDP, 300 B like
#      ICE candidates) back and forth, W in flight per device; messages per
#      second per server CPU-second, p50/p99 latency sender -> receiver.
#   3. relay-v2: the same over protocol version 2 (group calls: relays name
#      their target), beside protocol version 1 measured in the same run.
#   4. relay-cluster (not in the default phases): the relay with the two
#      devices of every pair on two instances of a cluster sharing a
#      redis-server (Unix socket), beside one instance in the same run;
#      also the call set-up time (invite to accepted).  Server CPU is
#      both instances'.
#   5. fanout (not in the default phases): presence fan-out time for a
#      join with F idle devices spread over three cluster instances
#      sharing a redis-server, beside the same F on one instance (no
#      Redis) in the same run: from the joiner's WebSocket upgrade to the
#      presence "join" at every device (p50, p99, last), median of J joins.
#      The servers run with the visibility "bench = expert": the idle
#      devices (role bench) see only the joiner (role expert), not each
#      other, so that admitting them costs no fan-out.
#      SL_BENCH_FANOUT_DEVICES=F (10000), SL_BENCH_FANOUT_JOINS=J (5).
#
# Rate limits are off in every phase (--rate-limit 1000000): the relay
# loop keeps more messages per device in flight than the default 200/s.
# Each result line carries the load average before and after its run.
#
#   bench/server/run-bench.sh [BUILD_DIR]
#   SL_BENCH_CONNECTIONS=10000 SL_BENCH_PAIRS=100 SL_BENCH_WINDOW=8 \
#   SL_BENCH_SECONDS=10 bench/server/run-bench.sh build
#   SL_BENCH_PHASES="idle-peerjs relay" SL_BENCH_RESULTS=results.txt ...
#     runs some phases only and appends to a results file kept across runs
#
# Everything listens on 127.0.0.1 only.  The PeerJS server is installed
# into bench/server/peerjs/node_modules with npm on first use.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
N=${SL_BENCH_CONNECTIONS:-10000}
PAIRS=${SL_BENCH_PAIRS:-100}
WINDOW=${SL_BENCH_WINDOW:-8}
SECONDS_MEASURED=${SL_BENCH_SECONDS:-10}
PHASES=${SL_BENCH_PHASES:-idle-sightline idle-peerjs relay relay-v2}
FANOUT_N=${SL_BENCH_FANOUT_DEVICES:-10000}
FANOUT_JOINS=${SL_BENCH_FANOUT_JOINS:-5}

ca_bin=$build/src/ca/sightline-ca
server_bin=$build/src/server/sightline-server
loadgen=$build/bench/server/sl-loadgen
fanout=$build/bench/server/sl-fanout
for b in "$ca_bin" "$server_bin" "$loadgen" "$fanout"; do
  [ -x "$b" ] || { echo "run-bench: $b is missing; build first" >&2; exit 1; }
done

work=$(mktemp -d)
pid=
pid2=
pid3=
redis_pid=
gen_pid=
cleanup() {
  for p in $gen_pid $pid $pid2 $pid3 $redis_pid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # so that the EXIT trap cleans up on a signal too

ulimit -n "$(ulimit -Hn)"
maxconn=$(( (N > FANOUT_N ? N : FANOUT_N) + 1000 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$maxconn" ]; then
  echo "run-bench: ulimit -n is $(ulimit -n), below the $maxconn descriptors" \
    "a run needs; raise the hard limit or lower the device counts" >&2
  exit 1
fi
"$ca_bin" init --dir "$work/ca" >/dev/null
"$ca_bin" issue-server --dir "$work/ca" --dns localhost --ip 127.0.0.1 >/dev/null

peerjs_dir=$top/bench/server/peerjs
needs_peerjs=false
for phase in $PHASES; do
  case $phase in idle-peerjs|relay) needs_peerjs=true ;; esac
done
if $needs_peerjs && [ ! -f "$peerjs_dir/node_modules/peer/dist/bin/peerjs.js" ]; then
  echo "run-bench: installing the PeerJS server (npm package peer)" >&2
  (cd "$peerjs_dir" && npm install --no-audit --no-fund --loglevel=error >&2)
fi

start_server() {   # name extra-args...: sets spid and sport
  local name=$1; shift
  "$server_bin" --listen 127.0.0.1 --port 0 --admin-port -1 --ready-fd 3 \
    --cert "$work/ca/server/server.crt" --key "$work/ca/server/server.key" \
    --ca "$work/ca/ca.crt" --crl "$work/ca/crl.pem" \
    --max-connections "$maxconn" --handshake-timeout-ms 120000 \
    --max-handshakes 1000 --max-handshakes-per-address 1000 \
    --rate-limit 1000000 --rate-burst 1000000 --ping-interval 60 \
    --visibility bench= "$@" 3>"$work/ready-$name" 2>"$work/server-$name.log" &
  spid=$!
  for _ in $(seq 100); do grep -q READY "$work/ready-$name" 2>/dev/null && break; sleep 0.1; done
  sport=$(sed -n 's/READY port=\([0-9]*\).*/\1/p' "$work/ready-$name")
  [ -n "$sport" ] || { cat "$work/server-$name.log" >&2; exit 1; }
}

start_sightline() {
  start_server one
  pid=$spid port=$sport
  sleep 1
}

start_redis() {
  redis-server --port 0 --unixsocket "$work/redis.sock" --save "" \
    --appendonly no --dir "$work" >/dev/null 2>&1 &
  redis_pid=$!
  for _ in $(seq 100); do [ -S "$work/redis.sock" ] && break; sleep 0.1; done
  [ -S "$work/redis.sock" ] || { echo "run-bench: redis-server did not start" >&2; exit 1; }
  printf '[cluster]\nredis=unix:%s\n' "$work/redis.sock" >"$work/cluster.conf"
}

# Two instances sharing a redis-server on a Unix socket in $work.
start_cluster() {
  start_redis
  start_server a --config "$work/cluster.conf"
  pid=$spid port=$sport
  start_server b --config "$work/cluster.conf"
  pid2=$spid port2=$sport
  sleep 1
}

start_peerjs() {
  # The PeerJS CLI treats port 0 as unset: pick a free one.
  while :; do
    port=$((20000 + RANDOM % 30000))
    ss -Hltn "sport = :$port" | grep -q . || break
  done
  node "$peerjs_dir/node_modules/peer/dist/bin/peerjs.js" --host 127.0.0.1 \
    --port "$port" --sslkey "$work/ca/server/server.key" \
    --sslcert "$work/ca/server/server.crt" --concurrent_limit $((N + 1000)) \
    --alive_timeout 3600000 >"$work/peerjs.log" 2>&1 &
  pid=$!
  # node starts in seconds, longer on a loaded machine.
  for _ in $(seq 600); do
    grep -q "Started PeerServer" "$work/peerjs.log" 2>/dev/null && break; sleep 0.1
  done
  grep -q "Started PeerServer" "$work/peerjs.log" || { cat "$work/peerjs.log" >&2; exit 1; }
  sleep 2   # let node settle before the baseline memory reading
}

stop() {
  for p in $pid $pid2 $pid3 $redis_pid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pid= pid2= pid3= redis_pid=
  rm -f "$work/redis.sock"
}

loadavg() { cut -d' ' -f1 /proc/loadavg; }

run() {   # target mode extra-args...
  local target=$1 mode=$2 before out; shift 2
  before=$(loadavg)
  case $target in
    sightline) start_sightline ;;
    cluster) start_cluster; set -- --port2 "$port2" --server-pid2 "$pid2" "$@"; target=sightline ;;
    *) start_peerjs ;;
  esac
  out=$("$loadgen" --target "$target" --mode "$mode" --port "$port" --server-pid "$pid" \
    --ca "$work/ca/ca.crt" --ca-key "$work/ca/ca.key" "$@" || true)
  stop
  [ -n "$out" ] && printf '%s load_start=%s load_end=%s\n' "$out" "$before" "$(loadavg)" | tee -a "$results"
  return 0
}

# Presence fan-out on K instances (1: no Redis, single-instance mode).
run_fanout() {   # K
  local k=$1 before out ports pids i
  local vis=(--visibility bench=expert --visibility expert=)
  before=$(loadavg)
  if [ "$k" -gt 1 ]; then
    start_redis
    vis+=(--config "$work/cluster.conf")
  fi
  for i in $(seq "$k"); do
    start_server "f$k-$i" "${vis[@]}"
    case $i in 1) pid=$spid ;; 2) pid2=$spid ;; *) pid3=$spid ;; esac
    ports=${ports:+$ports,}$sport pids=${pids:+$pids,}$spid
  done
  sleep 1
  # In the background: bash runs the signal trap only once a foreground
  # child has finished, and a 10,000-device run takes minutes.
  nice -n 5 "$fanout" --ports "$ports" --server-pids "$pids" \
    --ca "$work/ca/ca.crt" --ca-key "$work/ca/ca.key" \
    --devices "$FANOUT_N" --joins "$FANOUT_JOINS" >"$work/fanout.out" &
  gen_pid=$!
  wait "$gen_pid" || true
  gen_pid=
  out=$(cat "$work/fanout.out")
  stop
  [ -n "$out" ] && printf '%s load_start=%s load_end=%s\n' "$out" "$before" "$(loadavg)" | tee -a "$results"
  return 0
}

field() {  # line key
  local v
  v=$(sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1")
  echo "${v:--}"
}

ratio() {  # a b: a/b, or - when either is missing
  awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2fx", a/b }'
}

results=${SL_BENCH_RESULTS:-$work/results}
last() { grep "$1" "$results" | tail -1 || true; }
touch "$results"
for phase in $PHASES; do
  case $phase in
    idle-sightline|idle-peerjs)
      echo "== idle connections: $N (${phase#idle-})" >&2
      run "${phase#idle-}" idle --connections "$N" ;;
    relay)
      for size in 2048 300; do
        echo "== relay: $PAIRS pairs, $size-byte blobs, window $WINDOW, ${SECONDS_MEASURED}s" >&2
        run sightline relay --pairs "$PAIRS" --window "$WINDOW" --size "$size" --duration "$SECONDS_MEASURED"
        run peerjs relay --pairs "$PAIRS" --window "$WINDOW" --size "$size" --duration "$SECONDS_MEASURED"
      done ;;
    relay-v2)
      for size in 2048 300; do
        echo "== relay, protocol 2 and 1: $PAIRS pairs, $size-byte blobs, window $WINDOW, ${SECONDS_MEASURED}s" >&2
        run sightline relay --protocol 2 --pairs "$PAIRS" --window "$WINDOW" --size "$size" --duration "$SECONDS_MEASURED"
        run sightline relay --protocol 1 --pairs "$PAIRS" --window "$WINDOW" --size "$size" --duration "$SECONDS_MEASURED"
      done ;;
    relay-cluster)
      for size in 2048 300; do
        echo "== relay, two cluster instances and one: $PAIRS pairs, $size-byte blobs, window $WINDOW, ${SECONDS_MEASURED}s" >&2
        run cluster relay --pairs "$PAIRS" --window "$WINDOW" --size "$size" --duration "$SECONDS_MEASURED"
        run sightline relay --protocol 1 --pairs "$PAIRS" --window "$WINDOW" --size "$size" --duration "$SECONDS_MEASURED"
      done ;;
    fanout)
      echo "== presence fan-out: $FANOUT_N devices on three instances and on one, $FANOUT_JOINS joins" >&2
      [ "$FANOUT_N" -ge 3 ] || { echo "run-bench: SL_BENCH_FANOUT_DEVICES must be at least 3" >&2; exit 1; }
      run_fanout 3
      run_fanout 1 ;;
  esac
done

echo
echo "Signalling server benchmark ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
if grep -qE "(idle|relay) target=(sightline|peerjs) " "$results"; then
ours=$(last "idle target=sightline")
theirs=$(last "idle target=peerjs")
printf '%-34s %14s %14s %8s\n' "" "Sightline" "PeerJS" "ratio"
printf '%-34s %14s %14s %8s\n' "idle: connections held" "$(field "$ours" connections)" "$(field "$theirs" connections)" ""
o=$(field "$ours" kib_per_connection); t=$(field "$theirs" kib_per_connection)
printf '%-34s %14s %14s %8s\n' "idle: KiB per connection" "$o" "$t" "$(ratio "$t" "$o")"
for k in accept_s accept_server_cpu_s; do
  printf '%-34s %14s %14s %8s\n' "idle: $k" "$(field "$ours" $k)" "$(field "$theirs" $k)" ""
done
for size in 2048 300; do
  ours=$(last "relay target=sightline .* size=$size ")
  theirs=$(last "relay target=peerjs .* size=$size ")
  for k in msgs_per_s msgs_per_server_cpu_s; do
    o=$(field "$ours" $k); t=$(field "$theirs" $k)
    printf '%-34s %14s %14s %8s\n' "relay ${size}B: $k" "$o" "$t" "$(ratio "$o" "$t")"
  done
  for k in p50_ms p99_ms; do
    o=$(field "$ours" $k); t=$(field "$theirs" $k)
    printf '%-34s %14s %14s %8s\n' "relay ${size}B: $k" "$o" "$t" "$(ratio "$t" "$o")"
  done
  for k in server_core_use generator_core_use load_start load_end; do
    printf '%-34s %14s %14s %8s\n' "relay ${size}B: $k" "$(field "$ours" $k)" "$(field "$theirs" $k)" ""
  done
done
for k in load_start load_end; do
  printf '%-34s %14s %14s %8s\n' "idle: $k" "$(field "$(last "idle target=sightline")" $k)" "$(field "$(last "idle target=peerjs")" $k)" ""
done
fi
if grep -q "relay target=sightline-v2" "$results"; then
  echo
  printf '%-34s %14s %14s %8s\n' "" "protocol 2" "protocol 1" "ratio"
  for size in 2048 300; do
    v2=$(last "relay target=sightline-v2 .* size=$size ")
    v1=$(last "relay target=sightline-v1 .* size=$size ")
    o=$(field "$v2" msgs_per_server_cpu_s); t=$(field "$v1" msgs_per_server_cpu_s)
    printf '%-34s %14s %14s %8s\n' "relay ${size}B: msgs_per_server_cpu_s" "$o" "$t" "$(ratio "$o" "$t")"
    for k in p50_ms p99_ms load_start load_end; do
      printf '%-34s %14s %14s %8s\n' "relay ${size}B: $k" "$(field "$v2" $k)" "$(field "$v1" $k)" ""
    done
  done
  echo "(each protocol 1 run follows its protocol 2 run in the relay-v2 phase)"
fi
if grep -q "relay target=sightline-cluster" "$results"; then
  echo
  printf '%-34s %14s %14s %8s\n' "" "2 instances" "1 instance" "ratio"
  for size in 2048 300; do
    c=$(last "relay target=sightline-cluster .* size=$size ")
    v1=$(last "relay target=sightline-v1 .* size=$size ")
    o=$(field "$c" msgs_per_server_cpu_s); t=$(field "$v1" msgs_per_server_cpu_s)
    printf '%-34s %14s %14s %8s\n' "relay ${size}B: msgs_per_server_cpu_s" "$o" "$t" "$(ratio "$o" "$t")"
    for k in msgs_per_s p50_ms p99_ms setup_p50_ms setups server_core_use load_start load_end; do
      printf '%-34s %14s %14s %8s\n' "relay ${size}B: $k" "$(field "$c" $k)" "$(field "$v1" $k)" ""
    done
  done
  echo "(each one-instance run follows its cluster run; cluster CPU is both instances')"
fi
if grep -q "fanout target=" "$results"; then
  echo
  c=$(last "fanout target=sightline-3inst")
  o=$(last "fanout target=sightline-1inst")
  printf '%-34s %14s %14s %8s\n' "fan-out, $(field "$c" devices) devices" "3 instances" "1 instance" "ratio"
  for k in last_p50_ms arrival_p50_ms arrival_p99_ms last_max_ms welcome_p50_ms; do
    printf '%-34s %14s %14s %8s\n' "join: $k" "$(field "$c" $k)" "$(field "$o" $k)" "$(ratio "$(field "$c" $k)" "$(field "$o" $k)")"
  done
  for k in joins server_cpu_per_join_and_leave_s missed unexpected dead load_start load_end; do
    printf '%-34s %14s %14s %8s\n' "join: $k" "$(field "$c" $k)" "$(field "$o" $k)" ""
  done
  echo "(fan-out ratio: 3 instances / 1 instance, > 1: the cluster is slower)"
fi
echo "(ratio > 1: Sightline ahead. Memory and latency ratios are PeerJS / Sightline,"
echo " throughput ratios Sightline / PeerJS.)"
echo "Rate limits: off in every phase (--rate-limit 1000000 --rate-burst 1000000)."

