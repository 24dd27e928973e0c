#!/usr/bin/env bash
# The WebSocket is cut at each step of call set-up.  Each device reaches
# the server through its own TCP proxy (tests/net/wsproxy.py, TLS passes
# through); at the chosen step the device tells its proxy to reset its
# connections, at that very moment.  Pass 1 cuts the caller's connection,
# pass 2 the callee's, once per step:
#
#   invite sent, ringing, accepted, handshake relay, offer, answer,
#   first ICE candidate
#
# Every attempt must end (fail) within 5 s of the cut on both sides (wall
# clock, from the cut event), nobody hangs,
# both devices register again, no pipeline or call object is left and the
# file descriptors are back to the baseline (after a first, uncut call).
# A last uncut call proves both devices still work.
set -euo pipefail
. "${SL_NET_DIR:-$(dirname "$0")}/netlab.sh"
netlab_require
STUN=--stun=stun://$NL_PUB_ADDR:$NL_TURN_PORT
PROXY=${SL_NET_DIR:-$(dirname "$0")}/wsproxy.py

netlab_world
for side in A B; do
  port=9001
  [ $side = B ] && port=9002
  ip netns exec "$NL_PUB" python3 "$PROXY" "$NL_PUB_ADDR" $port "$NL_PUB_ADDR" \
    "$NL_SERVER_PORT" "$NL_TMP/cut$side.sock" >"$NL_TMP/proxy$side.log" 2>&1 &
done
for side in A B; do
  for _ in $(seq 50); do [ -S "$NL_TMP/cut$side.sock" ] && break; sleep 0.1; done
  [ -S "$NL_TMP/cut$side.sock" ] || netlab_fail "proxy $side did not start"
done
VIA_A=--server=wss://$NL_PUB_ADDR:9001
VIA_B=--server=wss://$NL_PUB_ADDR:9002

# run_pass NAME CALLER_CUTS CALLEE_CUTS ATTEMPTS
run_pass () {
  local name=$1 ccuts=$2 ecuts=$3 n=$4 k who
  netlab_peer expert "${name}_e" "$STUN" "$VIA_B" --cut-socket="$NL_TMP/cutB.sock" \
    --cut-at="$ecuts" wait
  netlab_wait_ev 15 "$NL_TMP/${name}_e.jsonl" "len(ev('resources')) > 0" ||
    netlab_fail "$name: the expert did not start"
  netlab_peer goggles "${name}_g" "$STUN" "$VIA_A" --cut-socket="$NL_TMP/cutA.sock" \
    --cut-at="$ccuts" --repeat="$n" --media-ms=500 --gap-ms=300 call expert
  netlab_wait_ev $((n * 20)) "$NL_TMP/${name}_g.jsonl" "len(ev('done')) > 0" ||
    netlab_fail "$name: the caller hung"
  # The callee's last call is over (its resources line follows the end).
  netlab_wait_ev 10 "$NL_TMP/${name}_e.jsonl" "len([r for r in ev('resources') if r.get('call') == $n]) > 0" ||
    netlab_fail "$name: the callee did not finish call $n"
  kill "$(eval echo \$NL_PID_${name}_e)" 2>/dev/null || true
  wait "$(eval echo \$NL_PID_${name}_e)" 2>/dev/null || true
  wait "$(eval echo \$NL_PID_${name}_g)" 2>/dev/null || true

  for who in g e; do
    f=$NL_TMP/${name}_$who.jsonl
    netlab_check "$name/$who: the uncut first and last calls succeeded" \
      netlab_ev "$f" "ev('ended')[0]['ok'] and ev('ended')[$n - 1]['ok'] and len(ev('ended')) == $n"
    for k in $(seq 2 $((n - 1))); do
      step=$(echo "$ccuts,$ecuts" | tr ',' '\n' | grep -v '^none$' | sed -n "$((k - 1))p")
      # Timed from the cut itself (wall clock, both processes), not from
      # the call's start: how long set-up took to reach the step is no
      # part of the claim, and grows with the machine's load.
      cut_wall=$(cat "$NL_TMP/${name}_g.jsonl" "$NL_TMP/${name}_e.jsonl" |
        grep "\"ev\":\"cut\"" | grep "\"call\":$k," | sed 's/.*"wall":\([0-9.e+]*\).*/\1/' | head -n1)
      [ -n "$cut_wall" ] || netlab_fail "$name: no cut recorded for attempt $k"
      netlab_check "$name/$who: cut at '$step' ended the attempt within 5 s of the cut, cleanly" \
        netlab_ev "$f" "not ev('ended')[$k - 1]['ok'] and ev('ended')[$k - 1]['wall'] - $cut_wall < 5 and all(r['pipelines'] == 0 and r['calls'] == 0 and r['gst_objects'] == 0 and r['fds'] <= [x for x in ev('resources') if x.get('call') == 1][-1]['fds'] for r in ev('resources') if r.get('call') == $k and r['t'] > ev('ended')[$k - 1]['t'])"
    done
  done
  netlab_check "$name: every cut really happened" \
    bash -c "[ \$(cat '$NL_TMP/${name}_g.jsonl' '$NL_TMP/${name}_e.jsonl' | grep -c '\"ev\":\"cut\",.*\"ok\":true') -eq $((n - 2)) ]"
  echo "$name: $(netlab_ev "$NL_TMP/${name}_g.jsonl" "[(e.get('error') or 'ok') + ' (%.0f ms)' % e['duration_ms'] for e in ev('ended')]")"
}

STEPS_CALLER=invite,ringing,accepted,handshake,offer,answer,candidate
STEPS_CALLEE=ringing,accepted,handshake,offer,answer,candidate
run_pass caller "none,$STEPS_CALLER,none" "none" 9
run_pass callee "none" "none,$STEPS_CALLEE,none" 8
echo "PASS"
