#!/usr/bin/env bash
# README's quick start, run as written: the two "quickstart: terminal N"
# blocks become two shell scripts, each reading a FIFO as its terminal's
# keyboard.  Terminal 1 makes the CA and certificates, starts the server and
# an expert waiting for calls; terminal 2 calls it.  The test then does what
# the README tells the user to do: compare the SAS, type /sas-ok in both
# terminals (both must print "verified: sas"), chat, /hangup.
#
# What differs from a user's run, and why: `scripts/bootstrap` is skipped
# (scripts/check has just run it), `$PWD/build` becomes this build tree, and
# port 8443 becomes a free port so that the test never collides with a
# running server.
#
#   test-quickstart.sh SOURCE_ROOT BUILD_ROOT
set -euo pipefail
src=$1
build=$(cd "$2" && pwd)
work=$(mktemp -d /tmp/sightline-test-quickstart.XXXXXX)
t1_pid=
t2_pid=
cleanup() {
  for p in $t2_pid $t1_pid; do kill -TERM -- "-$p" 2>/dev/null || true; done
  sleep 0.2
  for p in $t2_pid $t1_pid; do kill -KILL -- "-$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "test-quickstart: FAIL: $*" >&2
  for f in t1 t2; do
    echo "---- terminal ${f#t} ($f.sh):" >&2; cat "$work/$f.sh" >&2 || true
    echo "---- its output:" >&2; cat "$work/$f.out" >&2 || true
  done
  exit 1
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=
for _ in $(seq 50); do
  p=$(( 20000 + RANDOM % 20000 ))
  if port_free "$p"; then port=$p; break; fi
done
[ -n "$port" ] || fail "no free port"

# block N -> the lines of README's "quickstart: terminal N" code block
block() {
  awk -v want="<!-- quickstart: terminal $1 -->" '
    $0 == want { armed = 1; next }
    armed && /^```sh$/ { inside = 1; next }
    inside && /^```$/ { exit }
    inside { print }' "$src/README.md"
}
for n in 1 2; do
  {
    echo "set -e"
    block "$n" | grep -v '^scripts/bootstrap$' |
      sed -e "s|\$PWD/build/|$build/|g" -e "s|\$PWD/build\$|$build|g" \
          -e "s|127\.0\.0\.1:8443|127.0.0.1:$port|g" -e "s|--port 8443|--port $port|g"
  } >"$work/t$n.sh"
  [ "$(wc -l <"$work/t$n.sh")" -gt 3 ] || fail "README has no quick start block for terminal $n"
done
grep -q "8443" "$work/t1.sh" "$work/t2.sh" && fail "a port the test did not replace"

mkfifo "$work/kbd1" "$work/kbd2"
# Each terminal runs in its own process group (set -m), so that cleanup
# stops the server and the clients it started.
set -m
(cd "$work" && exec bash "$work/t1.sh" <"$work/kbd1" >"$work/t1.out" 2>&1) &
t1_pid=$!
exec 7>"$work/kbd1"

alive() {  # a finished child stays a zombie until waited for: not alive
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}
wait_for() {  # wait_for FILE REGEX SECONDS [PID that must stay alive]
  local deadline=$(( $(date +%s) + $3 ))
  until grep -q -- "$2" "$1" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "no '$2' in $(basename "$1") within $3 s"
    [ -z "${4:-}" ] || alive "$4" ||
      fail "$(basename "$1" .out) stopped before printing '$2'"
    sleep 0.1
  done
}
wait_for "$work/t1.out" "^server: connected as expert" 60 "$t1_pid"

(cd "$work" && exec bash "$work/t2.sh" <"$work/kbd2" >"$work/t2.out" 2>&1) &
t2_pid=$!
exec 8>"$work/kbd2"
set +m

wait_for "$work/t2.out" "^secured: " 60 "$t2_pid"
wait_for "$work/t1.out" "^secured: " 30 "$t1_pid"
sas1=$(grep -m1 "^sas: " "$work/t1.out")
sas2=$(grep -m1 "^sas: " "$work/t2.out")
[ -n "$sas1" ] && [ "$sas1" = "$sas2" ] || fail "the terminals show different SAS: '$sas1' / '$sas2'"
grep -q "^verified" "$work/t1.out" "$work/t2.out" && fail "verified before anyone compared the SAS"

echo "/sas-ok" >&7
echo "/sas-ok" >&8
wait_for "$work/t1.out" "^verified: sas" 30 "$t1_pid"
wait_for "$work/t2.out" "^verified: sas" 30 "$t2_pid"

echo "hello from the quick start" >&8
wait_for "$work/t1.out" "chat< .*hello from the quick start" 30
echo "/hangup" >&8
status=0
wait "$t2_pid" || status=$?
t2_pid=
[ "$status" -eq 0 ] || fail "terminal 2's call ended with status $status, not 0"
wait_for "$work/t1.out" "^ended: " 30
# The expert stays available for the next call, as README says.
wait_for "$work/t1.out" "^waiting: for the next call" 30 "$t1_pid"
echo "test-quickstart: ok: both terminals showed ${sas1#sas: }, verified by SAS, chat delivered, hung up with status 0, expert waiting again"
