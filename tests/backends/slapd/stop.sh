#!/usr/bin/env bash
# Stops the slapd that start.sh started in <state-dir> and removes its files and env file.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
state=${1:?usage: stop.sh <state-dir>}
stop_pidfile "$state/slapd/slapd.pid"
rm -rf "$state/slapd" "$state/slapd-tls" "$state/slapd.env"
exit 0
