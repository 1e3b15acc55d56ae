#!/usr/bin/env bash
# Stops the slapd that start.sh started in <state-dir> and removes its files and env file.
set -uo pipefail
state=${1:?usage: stop.sh <state-dir>}
dir="$state/slapd"
if [ -f "$dir/slapd.pid" ]; then
  pid=$(cat "$dir/slapd.pid")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  fi
fi
rm -rf "$dir" "$state/slapd-tls" "$state/slapd.env"
exit 0
