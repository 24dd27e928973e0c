#!/usr/bin/env bash
# NAT traversal.  Goggles (10.1.0.2) and expert (10.2.0.2) sit behind two
# masquerading routers; each scenario is one real `sightline` call from
# the goggles to an sl-netpeer on the expert side that reports what it
# saw: the selected ICE pair and the candidate types it received.
#
#  1. STUN only (the server hands out no TURN): a srflx-srflx pair.
#  2. The direct path between the sites blocked: the call goes through
#     coturn, with the short-lived credentials the server handed out (no
#     TURN password on either device).
#  3. --ice-relay-only: the peer receives relay candidates only.
# Every call must be verified: DTLS fingerprint and binding MAC.
set -euo pipefail
. "${SL_NET_DIR:-$(dirname "$0")}/netlab.sh"
netlab_require
STUN=--stun=stun://$NL_PUB_ADDR:$NL_TURN_PORT

call_once () {
  # $1 scenario name; the rest: options of the calling `sightline`
  local name=$1 status
  shift
  netlab_peer expert "obs_$name" "$STUN" --media-ms=0 wait
  netlab_wait_ev 15 "$NL_TMP/obs_$name.jsonl" "len(ev('connected')) > 0 and len(ev('resources')) > 0" ||
    netlab_fail "$name: the expert did not come online"
  netlab_sightline goggles "call_$name" --duration=2 "$@" call expert
  status=0
  wait "$(eval echo \$NL_PID_call_$name)" || status=$?
  netlab_wait_ev 10 "$NL_TMP/obs_$name.jsonl" "len(ev('ended')) > 0" ||
    netlab_fail "$name: the expert saw no end of the call"
  kill "$(eval echo \$NL_PID_obs_$name)" 2>/dev/null || true
  wait "$(eval echo \$NL_PID_obs_$name)" 2>/dev/null || true
  [ "$status" -eq 0 ] || netlab_fail "$name: sightline exited with $status"
  netlab_check "$name: the caller's call was verified" \
    netlab_ev "$NL_TMP/call_$name.json" "J['secured'] and J['video_frames_rendered'] > 0"
  netlab_check "$name: the expert's call was verified with video" \
    netlab_ev "$NL_TMP/obs_$name.jsonl" "last('ended')['secured'] and last('ended')['frames'] > 0"
  echo "$name: setup $(netlab_ev "$NL_TMP/call_$name.json" "J['setup_ms']") ms," \
    "pair $(netlab_ev "$NL_TMP/obs_$name.jsonl" "last('ended')['remote']")" \
    "(goggles) - $(netlab_ev "$NL_TMP/obs_$name.jsonl" "last('ended')['local']") (expert)," \
    "expert received $(netlab_ev "$NL_TMP/obs_$name.jsonl" "last('ended')['received']")"
}

# 1. STUN, no TURN at all.
NL_SERVER_TURN=0 netlab_world
call_once stun "$STUN"
netlab_check "stun: the media flows on a srflx-srflx pair" \
  netlab_ev "$NL_TMP/obs_stun.jsonl" "last('ended')['local'] == 'srflx' and last('ended')['remote'] == 'srflx'"
netlab_check "stun: no relay candidate exists without TURN" \
  netlab_ev "$NL_TMP/obs_stun.jsonl" "last('ended')['received']['relay'] == 0 and last('ended')['received']['srflx'] > 0"

# 2. Server with TURN credentials; the sites cannot reach each other.
netlab_server_kill
netlab_server "$NL_TMP"
netlab_block_direct
call_once turn "$STUN"
netlab_check "turn: the media flows through the relay" \
  netlab_ev "$NL_TMP/obs_turn.jsonl" "'relay' in (last('ended')['local'], last('ended')['remote'])"
# coturn's REST usernames are "<expiry>:<device>": the allocations were
# made with what the server issued, not with a configured password.
netlab_check "turn: coturn saw the server-issued credentials of both devices" \
  bash -c "grep -Eq 'username=<[0-9]+:goggles>' '$NL_TMP/coturn.log' && grep -Eq 'username=<[0-9]+:expert>' '$NL_TMP/coturn.log'"
for who in goggles expert; do
  netlab_check "turn: the $who released its allocations at hang-up" \
    netlab_turn_released $who
done
netlab_check "turn: no TURN secret reached a device" \
  bash -c "! grep -rqF \"\$(cat '$NL_TMP/turn.secret')\" '$NL_TMP'/*.out '$NL_TMP'/*.jsonl '$NL_TMP/devices'"

# 3. Relay only, direct path open again: still nothing but relays.
netlab_unblock_direct
call_once relay --ice-relay-only
netlab_check "relay-only: the expert received relay candidates only" \
  netlab_ev "$NL_TMP/obs_relay.jsonl" "last('ended')['received']['relay'] > 0 and last('ended')['received']['host'] + last('ended')['received']['srflx'] + last('ended')['received']['prflx'] == 0"
netlab_check "relay-only: the expert's remote side of the pair is a relay" \
  netlab_ev "$NL_TMP/obs_relay.jsonl" "last('ended')['remote'] == 'relay'"
echo "PASS"
