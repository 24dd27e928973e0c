#!/usr/bin/env bash
# Random packet loss on the media path: 5%, 10% and 20% of the UDP packets
# leaving each site are dropped (nft numgen), so every one-way path loses
# that share, from the first ICE check on.  Each rate is one real call of
# 4 s: it must be set up within 10 s, video must keep arriving (NACK/RTX
# repairs the loss), and every chat message must be delivered both ways
# (the data channel is reliable SCTP).
set -euo pipefail
. "${SL_NET_DIR:-$(dirname "$0")}/netlab.sh"
netlab_require
STUN=--stun=stun://$NL_PUB_ADDR:$NL_TURN_PORT
CHATS=10
DURATION=4
chat_args () {
  local i
  for i in $(seq "$CHATS"); do printf -- '--chat=%s-%d ' "$1" "$i"; done
}

netlab_world
for pct in 5 10 20; do
  netlab_loss "$pct"
  # shellcheck disable=SC2046
  netlab_sightline expert "e$pct" "$STUN" --auto-answer $(chat_args expert) wait
  netlab_wait_line "$NL_TMP/e$pct.out" "server: connected" 10 >/dev/null ||
    netlab_fail "$pct%: the expert did not come online"
  # shellcheck disable=SC2046
  netlab_sightline goggles "g$pct" "$STUN" --duration=$DURATION \
    $(chat_args goggles) call expert
  status=0
  wait "$(eval echo \$NL_PID_g$pct)" || status=$?
  # The expert's call ends with the caller's hang-up.
  netlab_wait_line "$NL_TMP/e$pct.out" "^[0-9.]+ ended:" 15 >/dev/null ||
    netlab_fail "$pct%: the expert's call did not end"
  kill "$(eval echo \$NL_PID_e$pct)" 2>/dev/null || true
  wait "$(eval echo \$NL_PID_e$pct)" 2>/dev/null || true
  [ "$status" -eq 0 ] || netlab_fail "$pct%: the call failed (exit $status)"
  g=$NL_TMP/g$pct.json
  e=$NL_TMP/e$pct.json
  netlab_check "$pct%: set up and verified within 10 s" \
    netlab_ev "$g" "J['verified'] and 0 < J['setup_ms'] < 10000"
  # 15 fps for 4 s: at least half of the frames must be shown on each side.
  netlab_check "$pct%: video keeps arriving at both ends" \
    netlab_ev "$g" "J['video_frames_rendered'] >= 30"
  netlab_check "$pct%: video keeps arriving at the expert" \
    netlab_ev "$e" "J['video_frames_rendered'] >= 30"
  netlab_check "$pct%: every chat message was delivered and acknowledged" \
    netlab_ev "$g" "J['chat_sent'] == $CHATS and J['chat_acked'] == $CHATS and J['chat_received'] == $CHATS"
  netlab_check "$pct%: the same at the expert" \
    netlab_ev "$e" "J['chat_sent'] == $CHATS and J['chat_acked'] == $CHATS and J['chat_received'] == $CHATS"
  echo "loss $pct%: setup $(netlab_ev "$g" "J['setup_ms']") ms," \
    "frames goggles $(netlab_ev "$g" "J['video_frames_rendered']")" \
    "expert $(netlab_ev "$e" "J['video_frames_rendered']") of $((15 * DURATION))," \
    "" \
    "chat $CHATS/$CHATS each way"
done
netlab_loss 0
echo "PASS"
