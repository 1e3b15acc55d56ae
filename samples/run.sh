#!/usr/bin/env bash
# Runs every sample that needs no cloud against `mongoauth serve`, from the Release build test.sh just made:
# SCRAM, PLAIN and the ASP.NET Core sample (DI + /health) against a TLS dev server; AWS, the OIDC callback and the Azure
# and Google OIDC adapters against one with --aws-identity and --oidc-user; X.509 against one that requires
# client certificates (a throwaway CA and client certificate made here with openssl); GSSAPI against the loopback KDC
# whose variables test.sh loaded (tests/backends/kdc). Prints "samples: N passed, N failed" and exits non-zero on any
# failure. Usage: samples/run.sh <work directory>
set -uo pipefail
cd "$(dirname "$0")/.."
work=${1:?usage: samples/run.sh <work directory>}
mkdir -p "$work"
bin() { echo "samples/$1/bin/Release/net10.0/$1.dll"; }
cli=src/MongoAuth.Cli/bin/Release/net10.0/MongoAuth.Cli.dll
passed=0 failed=0 pids=()
cleanup() { local p; for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
trap cleanup EXIT

# Starts `mongoauth serve` with the given options; sets $out to its output file once it is ready.
serve() {
  out=$(mktemp "$work/serve.XXXXXX")
  dotnet "$cli" serve --port 0 "$@" >"$out" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do
    grep -q "ready; Ctrl+C stops" "$out" && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "!! serve did not start:" >&2; cat "$out" >&2; return 1
}
check() { # name, expected text, command...
  local name=$1 expected=$2; shift 2
  local output
  if output=$("$@" 2>&1) && grep -qF "$expected" <<<"$output"; then
    echo "ok      $name: $output"; passed=$((passed + 1))
  else
    echo "FAILED  $name: $output" >&2; failed=$((failed + 1))
  fi
}

password="sample-$RANDOM$RANDOM"
if serve --user "alice:$password:readWrite@app" --plain-user "pat:$password" \
    ${MONGOAUTH_KRB_USER:+--keytab "$MONGOAUTH_KRB_SERVICE_KEYTAB" --gssapi-user "$MONGOAUTH_KRB_USER"}; then
  address=$(grep -o 'localhost:[0-9]*' "$out" | head -n 1)
  ca=$(grep -o '/[^ )]*dev-server-ca.pem' "$out" | head -n 1)
  check Scram "authenticated as alice@admin" env SAMPLE_PASSWORD="$password" dotnet "$(bin Scram)" "$address" alice "$ca"
  check PlainLdap "authenticated as pat@\$external" env SAMPLE_PASSWORD="$password" dotnet "$(bin PlainLdap)" "$address" pat "$ca"
  check QuickStart "authenticated as alice@admin" dotnet "$(bin QuickStart)" "mongodb://alice:$password@$address/?authSource=admin&tls=true&tlsCAFile=$ca"
  if [ -n "${MONGOAUTH_KRB_USER:-}" ]; then
    check Gssapi "authenticated as $MONGOAUTH_KRB_USER" env SAMPLE_PASSWORD="$MONGOAUTH_KRB_USER_PASSWORD" dotnet "$(bin Gssapi)" "$address" "$MONGOAUTH_KRB_USER" "$ca"
  else
    echo "FAILED  Gssapi: the KDC's variables are not set (tests/backends/kdc/start.sh)" >&2; failed=$((failed + 1))
  fi

  # The web sample: the connection string from configuration, /health and /whoami over HTTP.
  web=$(mktemp "$work/web.XXXXXX")
  ConnectionStrings__mongo="mongodb://alice:$password@$address/?authSource=admin&tls=true&tlsCAFile=$ca" \
    dotnet "$(bin WebApi)" --urls http://127.0.0.1:0 >"$web" 2>&1 &
  pids+=($!)
  url=""
  for _ in $(seq 1 300); do
    url=$(grep -o 'http://127.0.0.1:[0-9]*' "$web" | head -n 1) && [ -n "$url" ] && break
    sleep 0.1
  done
  check "WebApi /health" "Healthy" curl -s --max-time 20 "$url/health"
  check "WebApi /whoami" "alice@admin" curl -s --max-time 20 "$url/whoami"
else
  failed=$((failed + 1))
fi

# The cloud mechanisms against the dev server: MONGODB-AWS with keys in the environment (nothing else of AWS may take
# part: no shared files, no instance metadata), MONGODB-OIDC with a callback reading the printed token file, and the
# Azure and Google adapters pointed by the SDKs' own variables at the dev server's loopback identity endpoints.
aws_secret="sample-aws-$RANDOM$RANDOM"
if serve --aws-identity "AKIASAMPLE0000000001:$aws_secret:arn:aws:iam::123456789012:user/sample" --oidc-user sample-workload; then
  line() { grep -A1 -F "$1" "$out" | tail -n 1 | tr -d ' '; }
  value() { grep -F "$1" "$out" | grep -o "$2=[^ ]*" | head -n 1 | cut -d= -f2-; }
  no_cloud=(env -u AWS_PROFILE AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent)
  check Aws "authenticated as arn:aws:iam::123456789012:user/sample@\$external" "${no_cloud[@]}" \
    AWS_ACCESS_KEY_ID=AKIASAMPLE0000000001 AWS_SECRET_ACCESS_KEY="$aws_secret" dotnet "$(bin Aws)" "$(line 'MONGODB-AWS identity')"
  check OidcCallback "authenticated as sample-workload@\$external" dotnet "$(bin OidcCallback)" \
    "$(line 'through MongoAuth.Azure')" "$(value 'with ENVIRONMENT:test' OIDC_TOKEN_FILE)"
  check "QuickStart ENVIRONMENT:test" "authenticated as sample-workload@\$external" \
    env OIDC_TOKEN_FILE="$(value 'with ENVIRONMENT:test' OIDC_TOKEN_FILE)" dotnet "$(bin QuickStart)" "$(line 'with ENVIRONMENT:test')"
  azure=$(line 'through MongoAuth.Azure')
  check OidcAzure "authenticated as sample-workload@\$external" "${no_cloud[@]}" \
    IDENTITY_ENDPOINT="$(value 'through MongoAuth.Azure' IDENTITY_ENDPOINT)" IDENTITY_HEADER="$(value 'through MongoAuth.Azure' IDENTITY_HEADER)" \
    dotnet "$(bin OidcAzure)" "$azure" api://mongoauth-test
  check OidcGcp "authenticated as sample-workload@\$external" "${no_cloud[@]}" GCE_METADATA_HOST="$(value 'through MongoAuth.Google' GCE_METADATA_HOST)" \
    dotnet "$(bin OidcGcp)" "$(line 'through MongoAuth.Google')" api://mongoauth-test
else
  failed=$((failed + 1))
fi

# X.509: a CA and a client certificate for this run only.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=Sample CA" -days 1 \
  -keyout "$work/ca.key" -out "$work/client-ca.pem" >/dev/null 2>&1
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/O=Example/CN=sample-client" \
  -keyout "$work/client.key" -out "$work/client.csr" >/dev/null 2>&1
printf 'extendedKeyUsage=clientAuth\n' >"$work/client.ext"
openssl x509 -req -in "$work/client.csr" -CA "$work/client-ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 1 \
  -extfile "$work/client.ext" -out "$work/client.crt" >/dev/null 2>&1
cat "$work/client.crt" "$work/client.key" >"$work/client.pem"
if serve --tls-client-ca "$work/client-ca.pem" --x509-user "CN=sample-client,O=Example"; then
  address=$(grep -o 'localhost:[0-9]*' "$out" | head -n 1)
  ca=$(grep -o '/[^ )]*dev-server-ca.pem' "$out" | head -n 1)
  check X509 "authenticated as CN=sample-client,O=Example@\$external" dotnet "$(bin X509)" "$address" "$ca" "$work/client.pem"
else
  failed=$((failed + 1))
fi

echo "samples: $passed passed, $failed failed"
[ "$failed" = 0 ]
