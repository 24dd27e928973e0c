#!/usr/bin/env bash
# Runs one libFuzzer target over its seed corpus for SL_FUZZ_SECONDS.
# New inputs go to a scratch folder so the tree's corpus only changes by hand.
set -euo pipefail
exe=$(realpath "$1")
seeds=$2
secs=${SL_FUZZ_SECONDS:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
exec "$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$work" "$seeds"
