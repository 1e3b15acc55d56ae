#!/usr/bin/env bash
# Runs the MongoAuth CLI's `check` command: with a URI, connects to that server; without one, to the embedded
# dev server. Prints each step (parse, TCP, TLS, hello, authentication, first command) with its time.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run --project src/MongoAuth.Cli -c Release -- check "$@"
