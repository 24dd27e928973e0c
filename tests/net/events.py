#!/usr/bin/env python3
# Reads the JSON lines sl-netpeer prints (or a --stats-json file) and
# evaluates a Python expression over them, for the network tests' shell
# scripts.  E is the list of events, ev(name) those of one kind, last(name)
# the last one (or {}); J is a single JSON document when the file is one.
#
#   events.py FILE EXPR             print EXPR's value (exit 1 if falsy)
#   events.py --wait SECS FILE EXPR wait until EXPR is truthy
import json
import sys
import time


def load(path):
    events = []
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return events, None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                events.append(json.loads(line))
            except ValueError:
                pass
    doc = None
    try:
        doc = json.loads(text)
    except ValueError:
        pass
    return events, doc


def evaluate(path, expr):
    events, doc = load(path)

    def ev(name):
        return [e for e in events if e.get("ev") == name]

    def last(name):
        found = ev(name)
        return found[-1] if found else {}

    try:
        return eval(expr, {"E": events, "J": doc, "ev": ev, "last": last,
                           "len": len, "all": all, "any": any, "sum": sum,
                           "max": max, "min": min, "sorted": sorted})
    except (KeyError, IndexError, TypeError):
        return None


def main():
    args = sys.argv[1:]
    wait = 0.0
    if args and args[0] == "--wait":
        wait = float(args[1])
        args = args[2:]
    path, expr = args
    end = time.monotonic() + wait
    while True:
        value = evaluate(path, expr)
        if value or time.monotonic() >= end:
            break
        time.sleep(0.1)
    if isinstance(value, (dict, list)):
        print(json.dumps(value))
    else:
        print(value)
    sys.exit(0 if value else 1)


if __name__ == "__main__":
    main()
