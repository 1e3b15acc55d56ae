#!/usr/bin/env bash
# Side-by-side benchmarks: MongoAuth, the official MongoDB.Driver and a raw-socket floor against the test server,
# which runs as a separate process on 127.0.0.1 (plain, TLS, and one per mechanism). Builds in Release, starts a
# throwaway KDC (tests/backends/kdc) for the GSSAPI row, runs every scenario interleaved and rewrites
# docs/performance.md; the KDC is stopped on exit. If it cannot start, the GSSAPI row says why.
#   ./bench.sh            full run (under fifteen minutes on 2 cores)
#   ./bench.sh --quick    quick run (under two minutes) for working on the harness
#   ./bench.sh --quick --only "steady state, 8" --out /tmp/p.md   only the rows whose name contains the text
# Extra arguments go to the benchmark program (e.g. --out /tmp/perf.md).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build src/MongoAuth.TestServer/MongoAuth.TestServer.csproj -c Release --nologo -v quiet
dotnet build tests/MongoAuth.Benchmarks/MongoAuth.Benchmarks.csproj -c Release --nologo -v quiet

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then commit="$commit (uncommitted changes)"; fi

# GSSAPI: both drivers authenticate from a ticket cache that kinit fills once, as a Kerberos user's session would.
kdc_state=$(mktemp -d)
trap 'tests/backends/kdc/stop.sh "$kdc_state" >/dev/null 2>&1; rm -rf "$kdc_state"' EXIT
if kdc_log=$(tests/backends/kdc/start.sh "$kdc_state" 2>&1); then
  # shellcheck disable=SC1091
  . "$kdc_state/kdc.env"
  if ! kinit_log=$(printf '%s\n' "$MONGOAUTH_KRB_USER_PASSWORD" | kinit "$MONGOAUTH_KRB_USER" 2>&1 >/dev/null); then
    export MONGOAUTH_BENCH_KDC_ERROR="kinit failed: $(printf '%s' "$kinit_log" | head -n 1)"
  fi
else
  export MONGOAUTH_BENCH_KDC_ERROR="tests/backends/kdc/start.sh failed: $(printf '%s' "$kdc_log" | tail -n 1)"
fi

dotnet tests/MongoAuth.Benchmarks/bin/Release/net10.0/MongoAuth.Benchmarks.dll \
  --server src/MongoAuth.TestServer/bin/Release/net10.0/MongoAuth.TestServer.dll \
  --commit "$commit" "$@"
