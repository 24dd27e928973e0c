#!/usr/bin/env bash
# Sightline's test network: namespaces, veth pairs and nftables, made and
# removed by the tests themselves.  Source this file, then:
#
#   netlab_up                 build the topology below (needs root)
#   netlab_exec HOST cmd...   run a command on a host: pub, goggles, expert
#   netlab_loss PCT           drop PCT% of UDP forwarded by both NAT routers
#   netlab_blackhole on|off   drop every UDP packet between the two sites
#   netlab_block_direct       drop UDP between the sites' public addresses,
#                             so only the TURN relay path works
#   netlab_down               remove everything (also run on EXIT)
#   netlab_pki DIR            a throwaway operator CA: devices goggles and
#                             expert, a server certificate for 203.0.113.10
#   netlab_coturn DIR         start coturn in pub (shared-secret REST auth)
#   netlab_server DIR [ARGS]  start sightline-server in pub on :8443 with
#                             TURN credentials; netlab_server_kill stops it
#   netlab_client HOST DIR OUT [ARGS...]  start `sightline` on a site host
#                             in the background, stdout (timestamped) to OUT
#
#                 pub (203.0.113.0/24, bridge slbr)
#       server + coturn 203.0.113.10
#          /                              \
#   rtA 203.0.113.1 (NAT)          rtB 203.0.113.2 (NAT)
#          |                              |
#   goggles 10.1.0.2/24            expert 10.2.0.2/24
#
# Traffic never leaves these namespaces: none of them has a route to the
# host's own interfaces.

# Unique per run; the pid lets a later run reap what a killed run left.
NL_ID=${NL_ID:-sln$$}
NL_PUB=$NL_ID-pub
NL_RTA=$NL_ID-rtA
NL_RTB=$NL_ID-rtB
NL_HA=$NL_ID-goggles
NL_HB=$NL_ID-expert
NL_PUB_ADDR=203.0.113.10
NL_RTA_ADDR=203.0.113.1
NL_RTB_ADDR=203.0.113.2
NL_HA_ADDR=10.1.0.2
NL_HB_ADDR=10.2.0.2

netlab_can_run () {
  if [ "$(id -u)" -ne 0 ]; then
    echo "netlab: needs root for ip netns and nftables" >&2
    return 1
  fi
  for t in ip nft; do
    command -v $t >/dev/null || { echo "netlab: $t is missing" >&2; return 1; }
  done
  if ! ip netns add "$NL_ID-probe" 2>/dev/null; then
    echo "netlab: cannot create network namespaces here" >&2
    return 1
  fi
  ip netns del "$NL_ID-probe"
}

netlab_ns () {
  case "$1" in
    pub) echo "$NL_PUB" ;;
    rtA) echo "$NL_RTA" ;;
    rtB) echo "$NL_RTB" ;;
    goggles) echo "$NL_HA" ;;
    expert) echo "$NL_HB" ;;
    *) echo "netlab: unknown host $1" >&2; return 1 ;;
  esac
}

netlab_exec () {
  local ns
  ns=$(netlab_ns "$1") || return 1
  shift
  ip netns exec "$ns" "$@"
}

# Namespaces of earlier runs whose test process is gone (a run killed with
# SIGKILL by a timeout cannot clean up after itself).
netlab_reap_stale () {
  local ns pid
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^sln[0-9]+-' || true); do
    pid=${ns#sln}
    pid=${pid%%-*}
    if ! kill -0 "$pid" 2>/dev/null; then
      ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
      ip netns del "$ns" 2>/dev/null || true
    fi
  done
}

netlab_down () {
  local ns
  for ns in "$NL_HA" "$NL_HB" "$NL_RTA" "$NL_RTB" "$NL_PUB"; do
    if ip netns list | grep -qw "$ns"; then
      # Kill whatever a test left running inside before the namespace goes.
      ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
      ip netns del "$ns" 2>/dev/null || true
    fi
  done
}

_netlab_site () {
  # $1 router ns, $2 host ns, $3 wan addr, $4 lan prefix (10.1.0), $5 tag
  local rt=$1 host=$2 wan=$3 lan=$4 tag=$5
  ip link add "w$tag" netns "$rt" type veth peer name "p$tag" netns "$NL_PUB"
  ip -n "$NL_PUB" link set "p$tag" master slbr up
  ip -n "$rt" addr add "$wan/24" dev "w$tag"
  ip -n "$rt" link set "w$tag" up
  ip link add "l$tag" netns "$rt" type veth peer name eth0 netns "$host"
  ip -n "$rt" addr add "$lan.1/24" dev "l$tag"
  ip -n "$rt" link set "l$tag" up
  ip -n "$host" addr add "$lan.2/24" dev eth0
  ip -n "$host" link set eth0 up
  ip -n "$host" route add default via "$lan.1"
  ip netns exec "$rt" sysctl -qw net.ipv4.ip_forward=1
  # Like a home router, unsolicited packets to the router itself are
  # dropped.  It matters for hole punching: dropped before conntrack
  # confirms them, they leave no entry behind that would clash with the
  # site's own outgoing flow to the same peer, which masquerade would then
  # have to move to another port (and the peer's srflx candidate would be
  # wrong).
  ip netns exec "$rt" nft -f - <<NFT
table ip sl_nat {
  chain post {
    type nat hook postrouting priority srcnat;
    oifname "w$tag" masquerade
  }
}
table ip sl_filter {
  chain forward {
    type filter hook forward priority filter;
  }
}
table ip sl_guard {
  chain input {
    type filter hook input priority filter;
    iifname "w$tag" ct state new drop
  }
}
NFT
}

netlab_up () {
  # EXIT runs on a normal end and on `exit` from the TERM/INT traps, so a
  # meson timeout (SIGTERM) cleans up too.
  # The files of a failed run, or of any run with SL_NET_KEEP=1, stay for
  # a look (the log names the folder).
  trap 'nl_status=$?; netlab_down; if [ $nl_status -eq 0 ] && [ -z "${SL_NET_KEEP:-}" ]; then rm -rf "${NL_TMP:-/nonexistent}"; elif [ -n "${NL_TMP:-}" ]; then echo "netlab: files kept in $NL_TMP" >&2; fi' EXIT
  # A death by any of these signals is a failure: bash runs the EXIT trap
  # for them too, and without its own trap $? would say 0 there and the
  # evidence would be deleted (seen with SIGPIPE).
  trap 'exit 143' TERM
  trap 'exit 130' INT
  trap 'exit 129' HUP
  trap 'exit 141' PIPE
  netlab_reap_stale
  netlab_down
  local ns
  for ns in "$NL_PUB" "$NL_RTA" "$NL_RTB" "$NL_HA" "$NL_HB"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
  done
  ip -n "$NL_PUB" link add slbr type bridge
  ip -n "$NL_PUB" addr add "$NL_PUB_ADDR/24" dev slbr
  ip -n "$NL_PUB" link set slbr up
  _netlab_site "$NL_RTA" "$NL_HA" "$NL_RTA_ADDR" 10.1.0 A
  _netlab_site "$NL_RTB" "$NL_HB" "$NL_RTB_ADDR" 10.2.0 B
  # Bridged traffic between the two routers passes this table, so the
  # direct path between the sites can be cut while TURN stays reachable.
  ip netns exec "$NL_PUB" nft -f - <<NFT
table bridge sl_pub {
  chain forward {
    type filter hook forward priority filter;
  }
}
NFT
}

# netlab_loss PCT [signalling]
# Drops on the way out of each site only, so that every one-way path
# (site to site, site to relay, relay to site) loses PCT% once, not twice.
# With "signalling", each site's TCP (its WebSocket to the server, the
# only TCP there is) loses PCT% in both directions too: every packet
# between a client and the server crosses exactly one router.
netlab_loss () {
  local pct=$1 rt tag
  for rt in "$NL_RTA" "$NL_RTB"; do
    tag=A
    [ "$rt" = "$NL_RTB" ] && tag=B
    ip netns exec "$rt" nft flush chain ip sl_filter forward
    if [ "$pct" -gt 0 ]; then
      ip netns exec "$rt" nft add rule ip sl_filter forward \
        oifname "w$tag" meta l4proto udp numgen random mod 100 "<" "$pct" drop
      if [ "${2:-}" = signalling ]; then
        ip netns exec "$rt" nft add rule ip sl_filter forward \
          meta l4proto tcp numgen random mod 100 "<" "$pct" drop
      fi
    fi
  done
}

netlab_blackhole () {
  local rt
  for rt in "$NL_RTA" "$NL_RTB"; do
    ip netns exec "$rt" nft flush chain ip sl_filter forward
    if [ "$1" = on ]; then
      # Media only: signalling (TCP) keeps working, as when a UDP path dies.
      ip netns exec "$rt" nft add rule ip sl_filter forward meta l4proto udp drop
    fi
  done
}

netlab_block_direct () {
  ip netns exec "$NL_PUB" nft add rule bridge sl_pub forward \
    ip saddr "$NL_RTA_ADDR" ip daddr "$NL_RTB_ADDR" drop
  ip netns exec "$NL_PUB" nft add rule bridge sl_pub forward \
    ip saddr "$NL_RTB_ADDR" ip daddr "$NL_RTA_ADDR" drop
}

netlab_unblock_direct () {
  ip netns exec "$NL_PUB" nft flush chain bridge sl_pub forward
}

# --- Services ---------------------------------------------------------

NL_SERVER_PORT=8443
NL_TURN_PORT=3478
NL_URL=wss://$NL_PUB_ADDR:$NL_SERVER_PORT

# A throwaway operator CA in $1: devices goggles and expert, and a server
# certificate for the public address.
netlab_pki () {
  local dir=$1 ca=${SL_CA:-sightline-ca}
  "$ca" init --dir "$dir" >/dev/null || return 1
  "$ca" issue-device --dir "$dir" --id goggles --name "The goggles" \
    --role goggles >/dev/null || return 1
  "$ca" issue-device --dir "$dir" --id expert --name "The expert" \
    --role expert >/dev/null || return 1
  "$ca" issue-server --dir "$dir" --ip "$NL_PUB_ADDR" >/dev/null || return 1
  # The secret shared by sightline-server and coturn only: no device has it.
  head -c 32 /dev/urandom | base64 > "$dir/turn.secret"
  chmod 600 "$dir/turn.secret"
}

# coturn in pub, bound to the public address, with coturn's shared-secret
# REST scheme; stun too.  Logs to $1/coturn.log.  Private peers are denied
# (as data/turnserver.conf does): besides keeping the relay out of private
# networks, coturn tears the whole allocation down when a send to an
# unroutable peer fails, which would kill the relay candidate the moment
# ICE tries a peer's private host address.
netlab_coturn () {
  local dir=$1 i
  ip netns exec "$NL_PUB" turnserver -n --listening-ip="$NL_PUB_ADDR" \
    --relay-ip="$NL_PUB_ADDR" --listening-port="$NL_TURN_PORT" \
    --min-port=49152 --max-port=49999 --realm=sightline.test \
    --use-auth-secret --static-auth-secret="$(cat "$dir/turn.secret")" \
    --fingerprint --no-tls --no-dtls --no-cli --no-tcp-relay --verbose \
    --denied-peer-ip=10.0.0.0-10.255.255.255 \
    --denied-peer-ip=172.16.0.0-172.31.255.255 \
    --denied-peer-ip=192.168.0.0-192.168.255.255 \
    --denied-peer-ip=127.0.0.0-127.255.255.255 \
    --userdb="$dir/turndb" --pidfile="$dir/coturn.pid" \
    --log-file="$dir/coturn.log" --simple-log --no-stdout-log ${NL_COTURN_ARGS:-} \
    >/dev/null 2>&1 &
  NL_COTURN_PID=$!
  # coturn's log counts seconds from its start.
  NL_COTURN_T0=$(date +%s.%N)
  for i in $(seq 50); do
    if netlab_exec pub ss -lun 2>/dev/null | grep -q "$NL_PUB_ADDR:$NL_TURN_PORT"; then
      return 0
    fi
    sleep 0.1
  done
  echo "netlab: coturn did not start (see $dir/coturn.log)" >&2
  return 1
}

# Succeeds when coturn's log shows, for the device ($1), as many
# allocations released at hang-up (a refresh to lifetime 0) as made, at
# least one, and no allocation mismatch (437): a 5-tuple still held by an
# earlier call's allocation.
# Sessions are counted, not lines: a release whose answer comes late is
# retransmitted, and coturn logs each copy it processes (seen at load 9).
netlab_turn_released () {
  local log=$NL_TMP/coturn.log made freed
  made=$(grep -E "new, realm=.*username=<[0-9]+:$1>" "$log" |
    awk '{print $4}' | sort -u | wc -l)
  freed=$(grep -E "refreshed, realm=.*username=<[0-9]+:$1>, lifetime=0" "$log" |
    awk '{print $4}' | sort -u | wc -l)
  echo "netlab: $1: $made TURN allocation(s) made, $freed released" >&2
  [ "$made" -gt 0 ] && [ "$made" -eq "$freed" ] && ! grep -q "error 437" "$log"
}

# sightline-server in pub; extra arguments are passed on.  Sets
# NL_SERVER_PID.  Waits until it listens.
netlab_server () {
  local dir=$1 fifo turn
  shift
  fifo=$dir/server.ready
  # NL_SERVER_TURN=0: a server that hands out no TURN credentials.
  turn="--turn-url turn:$NL_PUB_ADDR:$NL_TURN_PORT?transport=udp --turn-secret-file $dir/turn.secret --turn-ttl 600"
  [ "${NL_SERVER_TURN:-1}" = 0 ] && turn=
  rm -f "$fifo"
  mkfifo "$fifo"
  # Not through netlab_exec: a backgrounded function would be a subshell,
  # and $! would not be the server.
  # shellcheck disable=SC2086
  ip netns exec "$NL_PUB" "${SL_SERVER:-sightline-server}" \
    --listen "$NL_PUB_ADDR" --port "$NL_SERVER_PORT" \
    --admin-listen 127.0.0.1 --admin-port -1 \
    --cert "$dir/server/server.crt" --key "$dir/server/server.key" \
    --ca "$dir/ca.crt" --crl "$dir/crl.pem" \
    $turn --ready-fd 3 "$@" 3>"$fifo" 2>>"$dir/server.log" &
  NL_SERVER_PID=$!
  if ! timeout 10 head -n1 "$fifo" | grep -q READY; then
    echo "netlab: sightline-server did not start (see $dir/server.log)" >&2
    return 1
  fi
}

netlab_server_kill () {
  if [ -n "${NL_SERVER_PID:-}" ]; then
    kill -9 "$NL_SERVER_PID" 2>/dev/null || true
    wait "$NL_SERVER_PID" 2>/dev/null || true
    NL_SERVER_PID=
  fi
}

# Common options of a client on HOST (goggles or expert): its device
# certificate, ICE restricted to its site address, STUN at the public
# server, small test media.
netlab_client_args () {
  local host=$1 dir=$2 addr
  addr=$NL_HA_ADDR
  [ "$host" = expert ] && addr=$NL_HB_ADDR
  echo "--server=$NL_URL --cert=$dir/devices/$host.crt" \
    "--key=$dir/devices/$host.key --ca=$dir/ca.crt --ice-address=$addr" \
    "--video=test --audio=test --display=none --width=320 --height=240" \
    "--fps=15 --bitrate=300"
}

# Prefixes every line with the seconds since the test began.
netlab_stamp () {
  local line
  while IFS= read -r line; do
    printf '%s %s\n' "$(netlab_now)" "$line"
  done
}

NL_T0=$(date +%s.%N)
netlab_now () {
  local now
  now=$(date +%s.%N)
  awk -v a="$now" -v b="$NL_T0" 'BEGIN { printf "%.3f", a - b }'
}

# Waits up to $3 seconds for a line matching the extended regex $2 in
# file $1; prints the line.
netlab_wait_line () {
  local file=$1 re=$2 secs=$3 end
  end=$(( $(date +%s) + secs ))
  while [ "$(date +%s)" -le "$end" ]; do
    if grep -Eq "$re" "$file" 2>/dev/null; then
      grep -Em1 "$re" "$file"
      return 0
    fi
    sleep 0.1
  done
  return 1
}

# Time stamp (seconds since start) of the first line matching $2 in $1.
netlab_line_time () {
  grep -Em1 "$2" "$1" | awk '{print $1}'
}


# --- Test scaffolding ---------------------------------------------------

NL_EVENTS=${SL_NET_DIR:-$(dirname "${BASH_SOURCE[0]}")}/events.py

# Skips the test (exit 77, which meson reports as SKIP) with the reason
# when it cannot run here; never passes silently.  With CI set, a test
# that cannot run fails instead: CI must prove the network claims.
netlab_skip () {
  if [ -n "${CI:-}" ]; then
    echo "FAIL: CI is set and $*" >&2
    exit 1
  fi
  echo "SKIP: $*" >&2
  exit 77
}

netlab_require () {
  local t
  if ! netlab_can_run; then
    netlab_skip "the net suite needs root and network namespaces"
  fi
  for t in turnserver python3 "$@"; do
    if ! command -v "$t" >/dev/null 2>&1; then
      netlab_skip "$t is missing (scripts/bootstrap installs it)"
    fi
  done
}

# The whole world: namespaces, CA, coturn and the server (extra arguments
# go to the server).  Everything goes away on exit, also on failure.
netlab_world () {
  NL_TMP=$(mktemp -d /tmp/slnet.XXXXXX)
  chmod 755 "$NL_TMP"
  netlab_up
  netlab_pki "$NL_TMP" || netlab_fail "cannot make the test CA"
  netlab_coturn "$NL_TMP" || netlab_fail "coturn does not start"
  netlab_server "$NL_TMP" "$@" || netlab_fail "the server does not start"
}

# netlab_peer HOST NAME [sl-netpeer options...] (call PEER | wait)
# Starts sl-netpeer on HOST in the background; events go to
# $NL_TMP/NAME.jsonl.  Sets NL_PID_NAME.
netlab_peer () {
  local host=$1 name=$2
  shift 2
  # shellcheck disable=SC2046
  # The leaks tracer counts the live elements, pads and buses a call
  # could leave behind (not buffers: too costly to track).
  GST_TRACERS=${NL_GST_TRACERS:-'leaks(filters="GstElement,GstPad,GstBus",stack-traces-flags=none)'} \
    ip netns exec "$(netlab_ns "$host")" "$SL_NETPEER" \
    $(netlab_client_args "$host" "$NL_TMP") \
    "$@" >"$NL_TMP/$name.jsonl" 2>"$NL_TMP/$name.err" &
  eval "NL_PID_$name=$!"
}

# netlab_sightline HOST NAME [sightline options...] (call PEER | wait)
# The real client, stdout time-stamped to $NL_TMP/NAME.out, statistics
# to $NL_TMP/NAME.json.  Sets NL_PID_NAME.
netlab_sightline () {
  local host=$1 name=$2
  shift 2
  # shellcheck disable=SC2046
  { netlab_exec "$host" "$SL_SIGHTLINE" $(netlab_client_args "$host" "$NL_TMP") \
      --stats-json="$NL_TMP/$name.json" "$@" </dev/null 2>"$NL_TMP/$name.err" |
      netlab_stamp >"$NL_TMP/$name.out"; } &
  eval "NL_PID_$name=$!"
}

# netlab_keep_failed NAME CALLER CALLEE...: the logs of every failed call
# of sl-netpeer CALLER (names as given to netlab_peer) go to
# $SL_NET_LOG_DIR/NAME-<time>-<pid>/ (meson sets it to the build tree's
# tests/net/logs), with one call-N.txt per failed call; prints the causes
# and paths.  Nothing is kept when every call succeeded.
netlab_keep_failed () {
  local name=$1 caller=$2 f files=()
  shift 2
  for f in "$@"; do files+=("$NL_TMP/$f.jsonl"); done
  python3 "$(dirname "$NL_EVENTS")/failed-calls.py" \
    "${SL_NET_LOG_DIR:-/tmp/slnet-logs}/$name-$(date +%Y%m%dT%H%M%S)-$$" \
    "$NL_TMP" "${NL_COTURN_T0:-0}" "$NL_TMP/$caller.jsonl" "${files[@]}"
}

# netlab_ev FILE EXPR: evaluate EXPR over FILE's events (see events.py).
netlab_ev () {
  python3 "$NL_EVENTS" "$@"
}

# netlab_wait_ev SECS FILE EXPR: wait until EXPR holds.
netlab_wait_ev () {
  python3 "$NL_EVENTS" --wait "$@" >/dev/null
}

# Shows what the processes said, for the test log when something failed.
netlab_dump () {
  local f
  for f in "$NL_TMP"/*.out "$NL_TMP"/*.jsonl "$NL_TMP"/*.err "$NL_TMP"/*.json; do
    [ -s "$f" ] || continue
    echo "----- $(basename "$f")"
    tail -n 40 "$f"
  done
}

netlab_fail () {
  echo "FAIL: $*" >&2
  [ -n "${NL_TMP:-}" ] && netlab_dump >&2
  exit 1
}

netlab_check () {
  local what=$1
  shift
  if "$@" >/dev/null; then
    echo "ok: $what"
  else
    netlab_fail "$what"
  fi
}
