#!/usr/bin/env bash
# Runs the whole MongoAuth test suite on a fresh Debian machine with the .NET 10 SDK:
#   0. installs the Node.js reference client (tests/node/install.sh: node from Debian when missing, npm ci),
#   1. starts every loopback backend under tests/backends/<name>/start.sh (each installs its own apt/npm
#      packages when missing and writes the environment the tests need to $MONGOAUTH_STATE/<name>.env),
#   2. restores and builds the solution (warnings are errors) and packs every package from that build,
#   3. runs every test project with those variables set before the test process starts
#      (libgssapi reads KRB5_* only at process start), then the samples against the dev server (samples/run.sh),
#   4. stops the backends and prints one last line: "tests: N passed, N failed, N skipped".
# Exit status is non-zero when a backend, the build or any test fails.
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)

export MONGOAUTH_STATE
MONGOAUTH_STATE=$(mktemp -d /tmp/mongoauth-test.XXXXXX)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

started=()
stop_backends() {
  local i
  for ((i=${#started[@]}-1; i>=0; i--)); do
    "${started[$i]}/stop.sh" "$MONGOAUTH_STATE" >/dev/null 2>&1 || true
  done
}
trap stop_backends EXIT

status=0
echo "== node reference client"
if ! "$root/tests/node/install.sh"; then
  # The Node.js reference tests will fail and say so; the others still run.
  echo "!! the Node.js reference client could not be installed" >&2
  status=1
fi

for dir in "$root"/tests/backends/*/; do
  dir=${dir%/}
  [ -x "$dir/start.sh" ] || continue
  name=$(basename "$dir")
  echo "== starting backend: $name"
  if "$dir/start.sh" "$MONGOAUTH_STATE"; then
    started+=("$dir")
  else
    # The tests that need this backend will fail and say so; the others still run.
    echo "!! backend $name failed to start" >&2
    status=1
  fi
done
for envfile in "$MONGOAUTH_STATE"/*.env; do
  [ -f "$envfile" ] && . "$envfile"
done

echo "== build"
if ! dotnet build MongoAuth.sln -c Release --nologo -v minimal; then
  echo "tests: 0 passed, 0 failed, 0 skipped (build failed)" >&2
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

echo "== pack"
# Every package the solution ships must pack from the build just made (a project that silently packs nothing,
# as the CLI once did, fails here).
packages="$MONGOAUTH_STATE/packages"
if dotnet pack MongoAuth.sln -c Release --no-build --nologo -v quiet -o "$packages"; then
  for id in MongoAuth MongoAuth.Ldap MongoAuth.Aws MongoAuth.Azure MongoAuth.Google MongoAuth.DependencyInjection MongoAuth.TestServer MongoAuth.Tool; do
    if ! ls "$packages/$id".[0-9]*.nupkg "$packages/$id".[0-9]*.snupkg >/dev/null 2>&1; then
      echo "!! dotnet pack wrote no $id package (or no symbols)" >&2
      status=1
    fi
  done
else
  echo "!! dotnet pack failed" >&2
  status=1
fi

echo "== test"
results="$MONGOAUTH_STATE/results"
dotnet test MongoAuth.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=1

echo "== samples"
# Every sample that needs no cloud runs against `mongoauth serve` (samples/run.sh); a failing one fails the suite.
"$root/samples/run.sh" "$MONGOAUTH_STATE/samples" || status=1

passed=0 failed=0 skipped=0 found=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  found=1
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed)
  f=$(( f + $(get error) + $(get timeout) + $(get aborted) ))
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + total - executed))
done
[ "$found" = 1 ] || { echo "!! no test results were written" >&2; status=1; }
[ "$failed" = 0 ] || status=1
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
