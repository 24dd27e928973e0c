#!/usr/bin/env bash
# The signalling server is killed (SIGKILL) in the middle of a call and
# started again a second later.  The call is peer to peer and must go on
# (video keeps arriving, it ends normally); both devices must register
# again within 10 s of the restart (reconnect backoff capped at 4 s).
set -euo pipefail
. "${SL_NET_DIR:-$(dirname "$0")}/netlab.sh"
netlab_require
STUN=--stun=stun://$NL_PUB_ADDR:$NL_TURN_PORT

netlab_world
netlab_sightline expert e "$STUN" --auto-answer --once wait
netlab_wait_line "$NL_TMP/e.out" "server: connected" 10 >/dev/null ||
  netlab_fail "the expert did not come online"
netlab_sightline goggles g "$STUN" --duration=12 call expert
netlab_wait_line "$NL_TMP/g.out" " secured: " 15 >/dev/null ||
  netlab_fail "the call was not secured"
netlab_wait_line "$NL_TMP/e.out" " secured: " 5 >/dev/null ||
  netlab_fail "the expert's call was not secured"
sleep 2

frames_now () {
  grep -E "stats: video_frames=" "$1" | tail -n1 | sed 's/.*video_frames=\([0-9]*\).*/\1/'
}
t_kill=$(netlab_now)
netlab_server_kill
before_g=$(frames_now "$NL_TMP/g.out")
before_e=$(frames_now "$NL_TMP/e.out")
sleep 1
netlab_server "$NL_TMP" || netlab_fail "the server did not restart"
t_up=$(netlab_now)

# The second "connected" line of each device is its new registration.
reregistered () {
  local n
  n=$(grep -c "server: connected as" "$1" || true)
  [ "$n" -ge 2 ]
}
for who in g e; do
  for _ in $(seq 100); do
    reregistered "$NL_TMP/$who.out" && break
    sleep 0.1
  done
  reregistered "$NL_TMP/$who.out" || netlab_fail "$who did not register again within 10 s"
done
t_g=$(grep "server: connected as" "$NL_TMP/g.out" | sed -n 2p | awk '{print $1}')
t_e=$(grep "server: connected as" "$NL_TMP/e.out" | sed -n 2p | awk '{print $1}')

status=0
wait "$NL_PID_g" || status=$?
netlab_wait_line "$NL_TMP/e.out" "^[0-9.]+ ended:" 10 >/dev/null ||
  netlab_fail "the expert's call did not end"
kill "$NL_PID_e" 2>/dev/null || true
wait "$NL_PID_e" 2>/dev/null || true

[ "$status" -eq 0 ] || netlab_fail "the call did not complete (exit $status)"
netlab_check "the call was not interrupted by the restart" \
  bash -c "! grep -E 'ended:' '$NL_TMP/g.out' | grep -v 'call completed'"
after_g=$(netlab_ev "$NL_TMP/g.json" "J['video_frames_rendered']")
after_e=$(netlab_ev "$NL_TMP/e.json" "J['video_frames_rendered']")
# About 8 s of the call remain after the kill: at 15 fps, at least 60.
netlab_check "video kept arriving at the goggles after the kill" [ $((after_g - before_g)) -ge 60 ]
netlab_check "video kept arriving at the expert after the kill" [ $((after_e - before_e)) -ge 60 ]
netlab_check "both devices registered twice" \
  netlab_ev "$NL_TMP/g.json" "J['server_connections'] == 2"
netlab_check "re-registered within 10 s of the restart" \
  awk -v a="$t_g" -v b="$t_e" -v u="$t_up" 'BEGIN { exit !(a - u <= 10 && b - u <= 10) }'
echo "server killed at ${t_kill}s, up again at ${t_up}s;" \
  "goggles registered again after $(awk -v a="$t_g" -v u="$t_up" 'BEGIN{printf "%.1f", a-u}') s," \
  "expert after $(awk -v a="$t_e" -v u="$t_up" 'BEGIN{printf "%.1f", a-u}') s (from the restart);" \
  "frames after the kill: goggles $((after_g - before_g)), expert $((after_e - before_e))"
echo "PASS"
