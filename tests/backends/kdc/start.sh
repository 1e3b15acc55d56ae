#!/usr/bin/env bash
# Starts a throwaway MIT Kerberos KDC on 127.0.0.1 for the GSSAPI tests and writes <state-dir>/kdc.env.
#   realm MONGOAUTH.TEST: users (one with a password, one with a keytab) and the mongodb services
#   realm PARTNER.TEST:   a service reached through cross-realm trust (SERVICE_REALM tests)
#   realm DOWN.TEST:      points at a closed port (KDC-unreachable tests)
# Nothing under /etc is read or changed: KRB5_CONFIG and KRB5_KDC_PROFILE point into the state directory.
# Usage: start.sh <state-dir>; stop.sh <state-dir> undoes it.
set -euo pipefail
state=${1:?usage: start.sh <state-dir>}
mkdir -p "$state"
state=$(cd "$state" && pwd)
dir="$state/kdc"

need_install() {
  local tool
  for tool in krb5kdc kdb5_util kadmin.local kinit; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || return 0
  done
  ldconfig -p 2>/dev/null | grep -q 'libgssapi_krb5\.so\.2' || return 0
  return 1
}
if need_install; then
  packages="krb5-kdc krb5-admin-server krb5-user libgssapi-krb5-2"
  export DEBIAN_FRONTEND=noninteractive
  # Try with the package lists already on the machine; refresh them only when that is not enough.
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends $packages >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $packages >/dev/null; }
fi
export PATH="$PATH:/usr/sbin:/sbin"

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 20000))
  if port_is_free "$candidate"; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "kdc: no free port found" >&2; exit 1; }
# Nothing listens on port 1 on loopback: DOWN.TEST's KDC is "unreachable" (connection refused at once).
down_port=1

realm=MONGOAUTH.TEST
partner=PARTNER.TEST
secret() { head -c 18 /dev/urandom | base64 | tr -d '/+='; }
user_pw=$(secret)
trust_pw=$(secret)

rm -rf "$dir"
mkdir -p "$dir"
cat > "$dir/krb5.conf" <<CONF
[libdefaults]
    default_realm = $realm
    dns_lookup_kdc = false
    dns_lookup_realm = false
    dns_canonicalize_hostname = false
    rdns = false
    udp_preference_limit = 1
    kdc_timeout = 2s
    max_retries = 1
    ticket_lifetime = 24h
[realms]
    $realm = {
        kdc = 127.0.0.1:$port
    }
    $partner = {
        kdc = 127.0.0.1:$port
    }
    DOWN.TEST = {
        kdc = 127.0.0.1:$down_port
    }
[domain_realm]
    localhost = $realm
    .mongoauth.test = $realm
    mongoauth.test = $realm
    # Deliberately "wrong": krb5.conf says partner hosts belong to the home realm, as when a service's keys live in
    # another realm than its DNS domain suggests; only SERVICE_REALM reaches mongodb/db.partner.test@$partner.
    .partner.test = $realm
[capaths]
    $realm = {
        $partner = .
    }
    $partner = {
        $realm = .
    }
CONF
realm_block() {
  cat <<BLOCK
    $1 = {
        database_name = $dir/db-$1
        key_stash_file = $dir/stash-$1
        acl_file = $dir/kadm5.acl
        kdc_listen = 127.0.0.1:$port
        kdc_tcp_listen = 127.0.0.1:$port
        max_life = 24h 0m 0s
        supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
    }
BLOCK
}
{
  echo "[kdcdefaults]"
  echo "    kdc_listen = 127.0.0.1:$port"
  echo "    kdc_tcp_listen = 127.0.0.1:$port"
  # No host-based referrals: the partner service is reachable only when the client names its realm (SERVICE_REALM).
  echo "    no_host_referral = *"
  echo "[realms]"
  realm_block "$realm"
  realm_block "$partner"
  echo "[logging]"
  echo "    kdc = FILE:$dir/kdc.log"
  echo "    default = FILE:$dir/kdc.log"
} > "$dir/kdc.conf"
: > "$dir/kadm5.acl"
export KRB5_CONFIG="$dir/krb5.conf" KRB5_KDC_PROFILE="$dir/kdc.conf"

admin() { kadmin.local -r "$1" -q "$2" >/dev/null; }
for r in "$realm" "$partner"; do
  kdb5_util create -s -r "$r" -P "$(secret)" >/dev/null
  # One-way trust: users of $realm may use services of $partner (same key on both sides).
  admin "$r" "addprinc -clearpolicy -pw $trust_pw krbtgt/$partner@$realm"
done

# Users: alice has a password; bob only a keytab (randomised key, exported once).
admin "$realm" "addprinc -clearpolicy -pw $user_pw alice@$realm"
admin "$realm" "addprinc -clearpolicy -randkey bob@$realm"
admin "$realm" "ktadd -k $dir/bob.keytab bob@$realm"

# Services, all in one acceptor keytab (the test server's KRB5_KTNAME).
services=(
  "mongodb/localhost@$realm"          # the default SPN for host localhost
  "customsvc/localhost@$realm"        # SERVICE_NAME tests
  "mongodb/db.mongoauth.test@$realm"  # SERVICE_HOST and canonicalization tests (alias names resolve to it)
  "mongodb/db.partner.test@$partner"  # SERVICE_REALM tests: reachable only across the trust
)
for spn in "${services[@]}"; do
  r=${spn##*@}
  admin "$r" "addprinc -clearpolicy -randkey $spn"
  admin "$r" "ktadd -k $dir/service.keytab $spn"
done

krb5kdc -r "$realm" -r "$partner" -P "$dir/kdc.pid"
for _ in $(seq 1 100); do
  port_is_free "$port" || break
  sleep 0.05
done
if port_is_free "$port"; then
  echo "kdc: krb5kdc did not start listening on 127.0.0.1:$port; see $dir/kdc.log" >&2
  exit 1
fi

q() { printf "%q" "$1"; }
cat > "$state/kdc.env" <<ENV
export KRB5_CONFIG=$(q "$dir/krb5.conf")
export KRB5_KTNAME=$(q "FILE:$dir/service.keytab")
export KRB5CCNAME=$(q "FILE:$dir/ccache")
export MONGOAUTH_KRB_REALM=$realm
export MONGOAUTH_KRB_PARTNER_REALM=$partner
export MONGOAUTH_KRB_DOWN_REALM=DOWN.TEST
export MONGOAUTH_KRB_KDC=127.0.0.1:$port
export MONGOAUTH_KRB_USER=alice@$realm
export MONGOAUTH_KRB_USER_PASSWORD=$(q "$user_pw")
export MONGOAUTH_KRB_KEYTAB_USER=bob@$realm
export MONGOAUTH_KRB_KEYTAB_USER_KEYTAB=$(q "$dir/bob.keytab")
export MONGOAUTH_KRB_SERVICE_KEYTAB=$(q "$dir/service.keytab")
export MONGOAUTH_KRB_SERVICE_HOST=localhost
export MONGOAUTH_KRB_CUSTOM_SERVICE_NAME=customsvc
export MONGOAUTH_KRB_ALIAS_TARGET_HOST=db.mongoauth.test
export MONGOAUTH_KRB_PARTNER_SERVICE_HOST=db.partner.test
ENV
echo "kdc: krb5kdc pid $(cat "$dir/kdc.pid") serving $realm and $partner on 127.0.0.1:$port"
