#!/usr/bin/env bash
# Stops the KDC that start.sh started for <state-dir> and removes its files and kdc.env.
set -uo pipefail
state=${1:?usage: stop.sh <state-dir>}
dir="$state/kdc"
if [ -f "$dir/kdc.pid" ]; then
  pid=$(cat "$dir/kdc.pid")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  fi
fi
rm -rf "$dir" "$state/kdc.env"
