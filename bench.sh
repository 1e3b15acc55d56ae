#!/usr/bin/env bash
# Side-by-side benchmarks: MongoAuth, the official MongoDB.Driver and a raw-socket floor against the test server,
# which runs as a separate process on 127.0.0.1 (plain and TLS). Builds in Release, runs every scenario interleaved
# and rewrites docs/performance.md.
#   ./bench.sh            full run (under fifteen minutes on 2 cores)
#   ./bench.sh --quick    quick run (under two minutes) for working on the harness
# Extra arguments go to the benchmark program (e.g. --out /tmp/perf.md).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build src/MongoAuth.TestServer/MongoAuth.TestServer.csproj -c Release --nologo -v quiet
dotnet build tests/MongoAuth.Benchmarks/MongoAuth.Benchmarks.csproj -c Release --nologo -v quiet

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then commit="$commit (uncommitted changes)"; fi
exec dotnet tests/MongoAuth.Benchmarks/bin/Release/net10.0/MongoAuth.Benchmarks.dll \
  --server src/MongoAuth.TestServer/bin/Release/net10.0/MongoAuth.TestServer.dll \
  --commit "$commit" "$@"
