#!/usr/bin/env bash
# valgrind memcheck of one full call cycle of the real `sightline`
# client: start, register through the NAT, call, verify, media, chat,
# hang up, exit.  The caller runs under memcheck (the callee natively);
# any invalid read or write or definite leak fails the test.  The only
# suppressions are GLib's own file and tests/net/valgrind.supp, whose
# every entry is a documented third-party one-time initialisation.
set -euo pipefail
. "${SL_NET_DIR:-$(dirname "$0")}/netlab.sh"
netlab_require valgrind
STUN=--stun=stun://$NL_PUB_ADDR:$NL_TURN_PORT
SUPP=${SL_NET_DIR:-$(dirname "$0")}/valgrind.supp
GLIB_SUPP=/usr/share/glib-2.0/valgrind/glib.supp

netlab_world
# Set-up and heartbeat deadlines (tests only) stretched for memcheck's
# pace, on both.
export SL_TEST_SETUP_SCALE=10
netlab_sightline expert e "$STUN" --auto-answer --chat=hello --once wait
netlab_wait_line "$NL_TMP/e.out" "server: connected" 10 >/dev/null ||
  netlab_fail "the expert did not come online"

# Small, slow video: memcheck runs the encoder some 30 times slower.
# The caller hangs up (typed "/hangup") once its chat message is
# acknowledged and video has been shown, however long that takes under
# memcheck; --duration is only a backstop.  (With a fixed 3 s call the
# acknowledgement once arrived after the hang-up.)
# No proxy resolver: GIO's libproxy module throws and catches C++
# exceptions whose unwinding (libunwind's setcontext) memcheck flags as
# invalid reads; the devices here have no proxy to find.
mkfifo "$NL_TMP/g.in"
# shellcheck disable=SC2046
GIO_USE_PROXY_RESOLVER=dummy ip netns exec "$NL_HA" valgrind --tool=memcheck --leak-check=full \
  --errors-for-leak-kinds=definite --show-leak-kinds=definite \
  --error-exitcode=99 --num-callers=40 --track-fds=no \
  --suppressions="$GLIB_SUPP" --suppressions="$SUPP" \
  --log-file="$NL_TMP/memcheck.log" \
  "$SL_SIGHTLINE" $(netlab_client_args goggles "$NL_TMP") "$STUN" \
  --width=160 --height=120 --fps=5 --bitrate=100 --connect-timeout=120 \
  --duration=120 --chat=hi --stats-json="$NL_TMP/g.json" call expert \
  <"$NL_TMP/g.in" >"$NL_TMP/g.out" 2>"$NL_TMP/g.err" &
pid_g=$!
exec 8>"$NL_TMP/g.in"
# Until the chat is acknowledged and video shown, the call ends, or 240 s.
for _ in $(seq 2400); do
  grep -q "^chat acked: " "$NL_TMP/g.out" 2>/dev/null &&
    grep -q "^first-frame: " "$NL_TMP/g.out" 2>/dev/null && break
  grep -q "^ended: " "$NL_TMP/g.out" 2>/dev/null && break
  kill -0 "$pid_g" 2>/dev/null || break
  sleep 0.1
done
# (A caller that is already gone closed the pipe: not this line's failure.)
( trap '' PIPE; echo "/hangup" >&8 ) 2>/dev/null || true
status=0
wait "$pid_g" || status=$?
exec 8>&-
netlab_wait_line "$NL_TMP/e.out" "^[0-9.]+ ended:" 20 >/dev/null || true
kill "$NL_PID_e" 2>/dev/null || true
wait "$NL_PID_e" 2>/dev/null || true

grep -E "ERROR SUMMARY|definitely lost|indirectly lost|possibly lost" "$NL_TMP/memcheck.log" || true
[ "$status" -ne 99 ] || netlab_fail "memcheck found errors (see memcheck.log above)"
[ "$status" -eq 0 ] || netlab_fail "the call under memcheck failed (exit $status)"
netlab_check "the call under memcheck was verified and showed video" \
  netlab_ev "$NL_TMP/g.json" "J['secured'] and J['video_frames_rendered'] > 0 and J['chat_acked'] == 1"
netlab_check "memcheck: no errors" grep -q "ERROR SUMMARY: 0 errors" "$NL_TMP/memcheck.log"
netlab_check "memcheck: no definite leaks" \
  bash -c "! grep -qE 'definitely lost: [1-9]' '$NL_TMP/memcheck.log'"
echo "PASS"
