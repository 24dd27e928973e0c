#!/usr/bin/env bash
# The media path (every UDP packet between the sites and the relay) is
# blackholed in the middle of a call; signalling (TCP) stays up.
#
#  5 s:  both sides say "reconnecting" within 3 s of the cut (liveness,
#        MEDIA_STALL_MS) and never before it, and learn through the server
#        (sealed probe) that the peer is there; the call must recover: the
#        media path is reported back, video comes back and the call ends
#        normally (real `sightline` on both sides).
#  40 s: both sides report the dead media path within 3 s, then must
#        notice the lost peer within 15 s (heartbeat deadline 10 s) and
#        clean up: the call ends with "peer lost", no pipeline is left and
#        file descriptors are back to the baseline (sl-netpeer on both
#        sides).  Once the path is back, a new call works.
set -euo pipefail
. "${SL_NET_DIR:-$(dirname "$0")}/netlab.sh"
netlab_require
STUN=--stun=stun://$NL_PUB_ADDR:$NL_TURN_PORT

netlab_world

# --- 5 s ---------------------------------------------------------------
netlab_sightline expert e "$STUN" --auto-answer --once wait
netlab_wait_line "$NL_TMP/e.out" "server: connected" 10 >/dev/null ||
  netlab_fail "the expert did not come online"
netlab_sightline goggles g "$STUN" --duration=14 call expert
netlab_wait_line "$NL_TMP/g.out" " secured: " 15 >/dev/null ||
  netlab_fail "the call was not secured"
sleep 2
netlab_blackhole on
t_on=$(netlab_now)
sleep 5
netlab_blackhole off
t_off=$(netlab_now)
status=0
wait "$NL_PID_g" || status=$?
netlab_wait_line "$NL_TMP/e.out" "^[0-9.]+ ended:" 10 >/dev/null ||
  netlab_fail "the expert's call did not end"
kill "$NL_PID_e" 2>/dev/null || true
wait "$NL_PID_e" 2>/dev/null || true
[ "$status" -eq 0 ] || netlab_fail "5 s blackhole: the call did not survive (exit $status)"
netlab_check "5 s blackhole: the expert's call ended normally" \
  netlab_ev "$NL_TMP/e.json" "J['exit_status'] == 0 and J['secured']"
# Recovery: the first stats line after the blackhole whose frame count
# grew.
recovered_at () {
  awk -v off="$t_off" '/stats: video_frames=/ {
      split($0, a, "video_frames="); split(a[2], b, " "); f = b[1] + 0
      if ($1 > off && seen && f > last) { print $1; exit }
      if ($1 > off) { seen = 1 }
      last = f }' "$1"
}
r_g=$(recovered_at "$NL_TMP/g.out")
r_e=$(recovered_at "$NL_TMP/e.out")
[ -n "$r_g" ] && [ -n "$r_e" ] || netlab_fail "5 s blackhole: video did not come back"
# Liveness: the first "reconnecting" line of each side comes after the cut
# and within 3 s of it (the cut is in place before t_on is taken), and the
# path is reported back after the outage.
first_line_at () {
  awk -v re="$2" '$0 ~ re { print $1; exit }' "$1"
}
for side in g e; do
  rc=$(first_line_at "$NL_TMP/$side.out" " reconnecting: ")
  [ -n "$rc" ] || netlab_fail "5 s blackhole ($side): the dead media path was not reported"
  netlab_check "5 s blackhole ($side): \"reconnecting\" within 3 s of the cut, not before it (at ${rc}s, cut at ${t_on}s)" \
    awk -v r="$rc" -v a="$t_on" 'BEGIN { exit !(r >= a && r - a <= 3) }'
  reach=$(first_line_at "$NL_TMP/$side.out" " reconnecting: the peer answers through the server")
  netlab_check "5 s blackhole ($side): the peer answered the sealed probe through the server during the outage" \
    awk -v r="$reach" -v a="$rc" -v b="$t_off" 'BEGIN { exit !(r != "" && r >= a && r <= b) }'
  back=$(first_line_at "$NL_TMP/$side.out" " media back: ")
  netlab_check "5 s blackhole ($side): the media path was reported back after the outage" \
    awk -v r="$back" -v b="$t_off" 'BEGIN { exit !(r != "" && r >= b) }'
  echo "5 s blackhole ($side): reconnecting $(awk -v r="$rc" -v a="$t_on" 'BEGIN{printf "%.1f", r-a}') s" \
    "after the cut, peer answered through the server $(awk -v r="$reach" -v a="$t_on" 'BEGIN{printf "%.1f", r-a}') s" \
    "after the cut, media path back $(awk -v r="$back" -v b="$t_off" 'BEGIN{printf "%.1f", r-b}') s after it ended"
done
echo "5 s blackhole from ${t_on}s to ${t_off}s: video back at the goggles" \
  "$(awk -v a="$r_g" -v b="$t_off" 'BEGIN{printf "%.1f", a-b}') s and at the expert" \
  "$(awk -v a="$r_e" -v b="$t_off" 'BEGIN{printf "%.1f", a-b}') s after the path returned" \
  "(1 s stats granularity)"

# --- 40 s ---------------------------------------------------------------
netlab_peer expert pe "$STUN" wait
netlab_wait_ev 15 "$NL_TMP/pe.jsonl" "len(ev('resources')) > 0" ||
  netlab_fail "the expert peer did not start"
# Call 1 is cut by the blackhole; call 2 starts 32 s after call 1 ended,
# once the path is back (the test stops it once verified).
netlab_peer goggles pg "$STUN" --repeat=2 --media-ms=60000 --gap-ms=32000 call expert
netlab_wait_ev 20 "$NL_TMP/pg.jsonl" "any(e.get('state') == 'secured' for e in ev('state'))" ||
  netlab_fail "40 s blackhole: the call was not secured"
sleep 2
netlab_blackhole on
t_on=$(netlab_now)
t_on_wall=$(date +%s.%N)
netlab_wait_ev 30 "$NL_TMP/pg.jsonl" "len(ev('ended')) > 0" ||
  netlab_fail "40 s blackhole: the goggles never noticed"
netlab_wait_ev 30 "$NL_TMP/pe.jsonl" "len(ev('ended')) > 0" ||
  netlab_fail "40 s blackhole: the expert never noticed"
sleep_left=$(awk -v a="$t_on" -v b="$(netlab_now)" 'BEGIN{s = 40 - (b - a); print (s > 0 ? s : 0)}')
sleep "$sleep_left"
netlab_blackhole off
netlab_wait_ev 30 "$NL_TMP/pg.jsonl" "len([e for e in ev('state') if e['state'] == 'secured']) == 2" ||
  netlab_fail "40 s blackhole: no new call after the path came back"
kill "$NL_PID_pe" "$NL_PID_pg" 2>/dev/null || true
wait "$NL_PID_pe" 2>/dev/null || true
wait "$NL_PID_pg" 2>/dev/null || true

for side in pg pe; do
  netlab_check "40 s blackhole ($side): the call ended as peer lost" \
    netlab_ev "$NL_TMP/$side.jsonl" "ev('ended')[0]['code'] == 'peer-lost' and ev('ended')[0]['secured']"

  netlab_check "40 s blackhole ($side): the dead media path was reported (media-path false) within 3 s of the cut, before the call ended" \
    netlab_ev "$NL_TMP/$side.jsonl" "[e for e in ev('media-path') if e['call'] == 1][0]['alive'] == False and 0 <= [e for e in ev('media-path') if e['call'] == 1][0]['wall'] - $t_on_wall <= 3 and [e for e in ev('media-path') if e['call'] == 1][0]['wall'] < ev('ended')[0]['wall']"
  netlab_check "40 s blackhole ($side): the peer answered the sealed probe through the server (peer-reachable) after the path went silent, before the call ended" \
    netlab_ev "$NL_TMP/$side.jsonl" "[e for e in ev('media-path') if e['call'] == 1][0]['wall'] <= [e for e in ev('peer-reachable') if e['call'] == 1][0]['wall'] < ev('ended')[0]['wall']"
  netlab_check "40 s blackhole ($side): no pipeline or call left, descriptors back to baseline" \
    netlab_ev "$NL_TMP/$side.jsonl" "[r for r in ev('resources') if r.get('call') == 1][-1]['pipelines'] == 0 and [r for r in ev('resources') if r.get('call') == 1][-1]['gst_objects'] == 0 and [r for r in ev('resources') if r.get('call') == 1][-1]['calls'] == 0 and [r for r in ev('resources') if r.get('call') == 1][-1]['fds'] <= ev('resources')[0]['fds']"
done
# Detection time: from the moment the path was cut to each side's end of
# the call, both on the wall clock (sl-netpeer stamps its events).
det_pg=$(netlab_ev "$NL_TMP/pg.jsonl" "'%.1f' % (ev('ended')[0]['wall'] - $t_on_wall)")
det_pe=$(netlab_ev "$NL_TMP/pe.jsonl" "'%.1f' % (ev('ended')[0]['wall'] - $t_on_wall)")
netlab_check "40 s blackhole: both sides noticed within 15 s" \
  awk -v a="$det_pg" -v b="$det_pe" 'BEGIN { exit !(a <= 15 && b <= 15) }'
netlab_check "after the blackhole a new call was verified at both ends" \
  netlab_ev "$NL_TMP/pe.jsonl" "len([e for e in ev('state') if e['state'] == 'secured']) == 2"
echo "40 s blackhole: media path reported dead" \
  "$(netlab_ev "$NL_TMP/pg.jsonl" "'%.1f' % (ev('media-path')[0]['wall'] - $t_on_wall)") s (goggles) and" \
  "$(netlab_ev "$NL_TMP/pe.jsonl" "'%.1f' % (ev('media-path')[0]['wall'] - $t_on_wall)") s (expert) after the cut"
echo "40 s blackhole: the goggles ended the call ${det_pg} s and the expert ${det_pe} s" \
  "after it began; both back to" \
  "$(netlab_ev "$NL_TMP/pg.jsonl" "[r for r in ev('resources') if r.get('call') == 1][-1]['fds']") /" \
  "$(netlab_ev "$NL_TMP/pe.jsonl" "[r for r in ev('resources') if r.get('call') == 1][-1]['fds']") descriptors, 0 pipelines"
echo "PASS"
