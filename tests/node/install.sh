#!/usr/bin/env bash
# Installs the Node.js reference client (the official `mongodb` driver and `kerberos`, exact versions from
# package-lock.json) into tests/node/node_modules. Idempotent: when node_modules already matches the lock file and the
# Node.js version, it returns at once. Installs node/npm from Debian when `node` is missing, and the compiler and GSSAPI
# headers only when the kerberos addon has to be built (its prebuilt binaries are downloaded from GitHub, which
# this setup does not rely on). Run by test.sh; usable alone.
set -euo pipefail
cd "$(dirname "$0")"

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  # Try with the package lists already on the machine; refresh them only when that is not enough.
  apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "$@" >/dev/null; }
}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "node: installing nodejs and npm from Debian"
  apt_install nodejs npm
fi

# MONGODB-AWS runs (aws.js) need the `aws4` signer that mongodb 6.x loads as an optional module. It lives in its own
# folder with its own lock file and is found through NODE_PATH, so the shared package.json above stays as pinned.
if [ ! -f aws4/node_modules/aws4/package.json ]; then
  echo "node: npm ci (aws4)"
  (cd aws4 && npm ci --no-audit --no-fund --loglevel=error)
fi

stamp=node_modules/.mongoauth-installed
want="$(sha256sum package-lock.json | cut -d' ' -f1) $(node --version)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f node_modules/kerberos/build/Release/kerberos.node ]; then
  exit 0
fi

missing=()
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
[ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "node: installing build tools for the kerberos addon: ${missing[*]}"
  apt_install "${missing[@]}"
fi
# node-gyp compiles against the installed Node.js headers when they are there (Debian: libnode-dev).
[ -d /usr/include/node ] || apt_install libnode-dev >/dev/null 2>&1 || true

echo "node: npm ci (mongodb, kerberos)"
# Skip prebuild-install's download attempt and build the addon here.
npm_config_build_from_source=true npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
