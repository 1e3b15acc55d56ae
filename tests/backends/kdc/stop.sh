#!/usr/bin/env bash
# Stops the KDC that start.sh started for <state-dir> and removes its files and kdc.env.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
state=${1:?usage: stop.sh <state-dir>}
stop_pidfile "$state/kdc/kdc.pid"
rm -rf "$state/kdc" "$state/kdc.env"
