#!/usr/bin/env python3
# Keeps the evidence of every failed call of a network test that uses
# sl-netpeer, also when the run as a whole passes (the soak allows 0.5% of
# calls to fail): a test that deletes its files on success would otherwise
# leave no trace of them.
#
#   failed-calls.py DEST RUN-DIR COTURN-T0 CALLER.jsonl [CALLEE.jsonl...]
#
# Does nothing when no call failed.  Otherwise copies the run's logs
# (clients' events and standard error, server and coturn logs; never keys
# or secrets) into DEST, writes DEST/call-N.txt per failed call (both
# sides' events in the call's time window, and the server's, coturn's and
# the clients' log lines of that window) and prints one line per failed
# call with its cause and file.  COTURN-T0 is the wall-clock time coturn
# started (its log counts seconds from it).
import datetime
import json
import os
import re
import shutil
import sys

from events import load

SLACK_BEFORE = 1.0
SLACK_AFTER = 2.0
COPIED = re.compile(r".*\.(jsonl|err|out|json)$|^(server|coturn)\.log$")


def events(path):
    return load(path)[0]


def lines_in(path, when, start, end):
    """Lines of a log whose time (when(line): wall seconds or None) falls
    in [start, end]; lines without a time follow the line before."""
    out = []
    keep = False
    try:
        with open(path, errors="replace") as f:
            for line in f:
                t = when(line)
                if t is not None:
                    keep = start <= t <= end
                if keep:
                    out.append(line.rstrip("\n"))
    except OSError:
        pass
    return out


def coturn_time(t0):
    def when(line):
        m = re.match(r"^(\d+): ", line)
        return t0 + int(m.group(1)) if m else None
    return when


def server_time(line):
    m = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)Z ", line)
    if not m:
        return None
    return datetime.datetime.fromisoformat(m.group(1)).replace(
        tzinfo=datetime.timezone.utc).timestamp()


def glib_time(day):
    # GLib's "** (prog:pid): WARNING **: 13:16:52.124: ..." (local time)
    def when(line):
        m = re.search(r"\*\*: (\d\d):(\d\d):(\d\d)\.(\d+): ", line)
        if not m:
            return None
        h, mi, s, frac = m.groups()
        return day + int(h) * 3600 + int(mi) * 60 + int(s) + float("0." + frac)
    return when


def main():
    dest, run, coturn_t0 = sys.argv[1], sys.argv[2], float(sys.argv[3])
    caller, others = sys.argv[4], sys.argv[5:]
    failed = [e for e in events(caller) if e.get("ev") == "ended"
              and not e.get("ok")]
    if not failed:
        print("failed calls: none")
        return
    os.makedirs(dest, exist_ok=True)
    for name in sorted(os.listdir(run)):
        if COPIED.match(name) and os.path.isfile(os.path.join(run, name)):
            shutil.copy(os.path.join(run, name), dest)

    now = datetime.datetime.now()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    day = midnight.timestamp()
    err_files = [os.path.splitext(p)[0] + ".err" for p in [caller] + others]
    for e in failed:
        end = e["wall"]
        start = end - e["duration_ms"] / 1000.0
        lo, hi = start - SLACK_BEFORE, end + SLACK_AFTER
        path = os.path.join(dest, "call-%d.txt" % e["call"])
        with open(path, "w") as out:
            out.write("call %d failed after %.0f ms: %s (outcome %s)\n"
                      % (e["call"], e["duration_ms"], e.get("error"),
                         e.get("code")))
            out.write("candidates sent %s, received %s; pair %s - %s\n"
                      % (e.get("sent"), e.get("received"), e.get("local"),
                         e.get("remote")))
            out.write("window: %s to %s (wall clock, UTC)\n" % (
                datetime.datetime.utcfromtimestamp(lo).isoformat(),
                datetime.datetime.utcfromtimestamp(hi).isoformat()))
            for src in [caller] + others:
                out.write("\n----- %s\n" % os.path.basename(src))
                for ev in events(src):
                    if lo <= ev.get("wall", 0) <= hi:
                        out.write(json.dumps(ev) + "\n")
            logs = [(os.path.join(run, "server.log"), server_time),
                    (os.path.join(run, "coturn.log"), coturn_time(coturn_t0))]
            logs += [(p, glib_time(day)) for p in err_files]
            for log, when in logs:
                out.write("\n----- %s\n" % os.path.basename(log))
                for line in lines_in(log, when, lo, hi):
                    out.write(line + "\n")
        print("failed call %d: %s after %.0f ms; evidence in %s"
              % (e["call"], e.get("error"), e["duration_ms"], path))
    print("failed calls: the run's logs are kept in %s" % dest)


main()
