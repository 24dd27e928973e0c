#!/usr/bin/env bash
# Random packet loss on the media path: 5%, 10% and 20% of the UDP packets
# leaving each site are dropped (nft numgen), so every one-way path loses
# that share.  At each rate:
#
# (a) loss during the call (real `sightline` on both ends): switched on as
#     soon as both ends are verified; then chat typed on both ends must all
#     arrive and be acknowledged (reliable SCTP) and video keep arriving
#     (NACK/RTX repairs the loss).  The goggles hang up once every message
#     is through both ways and the call has run 8 s under loss, so a slow
#     retransmission never cuts the chat short (no timing window).
# (b) set-up under loss from the first packet: SL_LOSS_ATTEMPTS calls (10)
#     placed one after another by a long-running sl-netpeer (the same call
#     engine), each ending verified or with a clean failure at the set-up
#     deadline, never hanging.  Asserted, what holds today with GStreamer
#     1.22's DTLS (handshake cut into ~228-byte fragments, a fixed 1 s
#     doubling retransmission timer; docs/RELIABILITY.md):
#       5%:  at least 7 of 10 set up within 10 s, at least 8 set up;
#       10%: at least 5 of 10 within 10 s, at least 8 set up;
#       20%: printed only (p50/p90, how many within 10 s).
#     Measured on 2026-12-07 at load 5-12 (2 cores shared), 70 attempts
#     per rate: 5%: 67 within 10 s, 70 set up; 10%: 60 within 10 s, 68 set
#     up; so each bound fails a healthy build in under 0.3% of runs.
#     The goal of set-up within 10 s in 95% of attempts at every rate
#     belongs to the networks issue that follows.
set -euo pipefail
. "${SL_NET_DIR:-$(dirname "$0")}/netlab.sh"
netlab_require
STUN=--stun=stun://$NL_PUB_ADDR:$NL_TURN_PORT
CHATS=10
IN_SECONDS=8
ATTEMPTS=${SL_LOSS_ATTEMPTS:-10}

# rate, at least this many within 10 s, at least this many set up at all
# (empty: printed only).  Scaled to ATTEMPTS.
asserted () {
  case "$1" in
    5) echo $((ATTEMPTS * 7 / 10)) $((ATTEMPTS * 8 / 10)) ;;
    10) echo $((ATTEMPTS * 5 / 10)) $((ATTEMPTS * 8 / 10)) ;;
    *) echo "" ;;
  esac
}

check_call () {
  # $1 name suffix, $2 loss percent, $3 frames expected at least
  local g=$NL_TMP/g$1.json e=$NL_TMP/e$1.json pct=$2
  netlab_check "$pct%: video keeps arriving at the goggles" \
    netlab_ev "$g" "J['video_frames_rendered'] >= $3"
  netlab_check "$pct%: video keeps arriving at the expert" \
    netlab_ev "$e" "J['video_frames_rendered'] >= $3"
  netlab_check "$pct%: every chat message was delivered and acknowledged" \
    netlab_ev "$g" "J['chat_sent'] == $CHATS and J['chat_acked'] == $CHATS and J['chat_received'] == $CHATS"
  netlab_check "$pct%: the same at the expert" \
    netlab_ev "$e" "J['chat_sent'] == $CHATS and J['chat_acked'] == $CHATS and J['chat_received'] == $CHATS"
}

start_typed () {
  # $1 host, $2 name, rest: sightline arguments; stdin from $NL_TMP/$2.in
  local host=$1 name=$2
  shift 2
  # shellcheck disable=SC2046
  { netlab_exec "$host" "$SL_SIGHTLINE" $(netlab_client_args "$host" "$NL_TMP") \
      --stats-json="$NL_TMP/$name.json" "$@" <"$NL_TMP/$name.in" \
      2>"$NL_TMP/$name.err" | netlab_stamp >"$NL_TMP/$name.out"; } &
  eval "NL_PID_$name=$!"
}

# Every chat line acknowledged and received at both ends of call $1.
chat_done () {
  local f
  for f in "$NL_TMP/g$1.out" "$NL_TMP/e$1.out"; do
    [ "$(grep -c 'chat acked: ' "$f" || true)" -ge "$CHATS" ] || return 1
    [ "$(grep -c 'chat< ' "$f" || true)" -ge "$CHATS" ] || return 1
  done
}

during_call () {
  local pct=$1 t_loss status
  netlab_loss 0
  mkfifo "$NL_TMP/e${pct}a.in" "$NL_TMP/g${pct}a.in"
  start_typed expert "e${pct}a" "$STUN" --auto-answer wait
  exec 7>"$NL_TMP/e${pct}a.in"
  netlab_wait_line "$NL_TMP/e${pct}a.out" "server: connected" 20 >/dev/null ||
    netlab_fail "$pct%: the expert did not come online"
  # --duration only as a backstop; the test hangs up.
  start_typed goggles "g${pct}a" "$STUN" --duration=90 call expert
  exec 8>"$NL_TMP/g${pct}a.in"
  { netlab_wait_line "$NL_TMP/g${pct}a.out" " secured: " 30 >/dev/null &&
    netlab_wait_line "$NL_TMP/e${pct}a.out" " secured: " 30 >/dev/null; } ||
    netlab_fail "$pct% (a): the call was not secured before the loss"
  netlab_loss "$pct"
  t_loss=$(date +%s)
  for i in $(seq "$CHATS"); do
    echo "goggles-$i" >&8
    echo "expert-$i" >&7
  done
  for _ in $(seq 600); do
    chat_done "${pct}a" && break
    sleep 0.1
  done
  chat_done "${pct}a" ||
    netlab_fail "$pct% (a): the chat did not get through within 60 s"
  while [ $(( $(date +%s) - t_loss )) -lt $IN_SECONDS ]; do sleep 0.2; done
  # (A call that ended on its own closed the pipe; its status tells.)
  ( trap '' PIPE; echo "/hangup" >&8 ) 2>/dev/null || true
  status=0
  wait "$(eval echo \$NL_PID_g${pct}a)" || status=$?
  netlab_wait_line "$NL_TMP/e${pct}a.out" "^[0-9.]+ ended:" 20 >/dev/null ||
    netlab_fail "$pct% (a): the expert's call did not end"
  exec 7>&- 8>&-
  kill "$(eval echo \$NL_PID_e${pct}a)" 2>/dev/null || true
  wait "$(eval echo \$NL_PID_e${pct}a)" 2>/dev/null || true
  [ "$status" -eq 0 ] || netlab_fail "$pct% (a): the call failed (exit $status)"
  # 15 fps for at least 8 s under loss: at least half of those frames.
  check_call "${pct}a" "$pct" $((15 * IN_SECONDS / 2))
  echo "loss $pct% during the call: frames goggles" \
    "$(netlab_ev "$NL_TMP/g${pct}a.json" "J['video_frames_rendered']")" \
    "expert $(netlab_ev "$NL_TMP/e${pct}a.json" "J['video_frames_rendered']")" \
    "in $(( $(date +%s) - t_loss )) s under loss, chat $CHATS/$CHATS each way"
}

# (b): ATTEMPTS calls from a fresh sl-netpeer with the loss on from its
# first packet; the expert's sl-netpeer answers all of them.
setup_attempts () {
  local pct=$1 f=$NL_TMP/b$1.jsonl within set_up
  netlab_loss "$pct"
  netlab_peer goggles "b$pct" "$STUN" --repeat="$ATTEMPTS" --media-ms=300 \
    --gap-ms=300 --settle-ms=100 call expert
  # Each attempt ends by the set-up deadlines (securing 10 s, connecting
  # 20 s) plus its media and gaps; a hang is a failure.
  netlab_wait_ev $((ATTEMPTS * 40)) "$f" "len(ev('done')) > 0" ||
    netlab_fail "$pct% (b): the set-up attempts did not all end"
  wait "$(eval echo \$NL_PID_b$pct)" 2>/dev/null || true
  netlab_check "$pct% (b): every attempt ended secured or with the set-up failure status" \
    netlab_ev "$f" "len(ev('ended')) == $ATTEMPTS and all(e['ok'] or e['code'] == 'media' for e in ev('ended'))"
  within=$(netlab_ev "$f" "len([e for e in ev('ended') if e['ok'] and e['setup_ms'] <= 10000])" || true)
  set_up=$(netlab_ev "$f" "len([e for e in ev('ended') if e['ok']])" || true)
  echo "loss $pct% from the first packet: $within of $ATTEMPTS set up within 10 s," \
    "$set_up of $ATTEMPTS set up at all;" \
    "$(netlab_ev "$f" "'p50 %s, p90 %s' % tuple((lambda t: '%.0f ms' % t if t < 1e9 else 'not set up')(sorted(e['setup_ms'] if e['ok'] else 1e12 for e in ev('ended'))[min(len(ev('ended')) - 1, int(len(ev('ended')) * q))]) for q in (0.5, 0.9))");" \
    "set-up times (ms): $(netlab_ev "$f" "' '.join('%.0f' % e['setup_ms'] if e['ok'] else 'failed(%.0f)' % e['duration_ms'] for e in ev('ended'))")"
  # shellcheck disable=SC2046
  set -- $(asserted "$pct")
  if [ $# -eq 2 ]; then
    netlab_check "$pct% (b): at least $1 of $ATTEMPTS set up within 10 s ($within)" \
      [ "$within" -ge "$1" ]
    netlab_check "$pct% (b): at least $2 of $ATTEMPTS set up ($set_up)" \
      [ "$set_up" -ge "$2" ]
  fi
}

netlab_world
for pct in 5 10 20; do
  during_call "$pct"
done
netlab_loss 0
netlab_peer expert be "$STUN" --settle-ms=100 wait
netlab_wait_ev 20 "$NL_TMP/be.jsonl" "len(ev('resources')) > 0" ||
  netlab_fail "(b): the expert did not start"
for pct in 5 10 20; do
  setup_attempts "$pct"
done
netlab_loss 0
kill "$NL_PID_be" 2>/dev/null || true
wait "$NL_PID_be" 2>/dev/null || true
echo "PASS"
