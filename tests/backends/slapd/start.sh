#!/usr/bin/env bash
# Starts a private OpenLDAP slapd on 127.0.0.1 for the PLAIN/LDAP tests and writes <state-dir>/slapd.env.
# Own cn=config under <state-dir>/slapd (nothing in /etc is used or changed), memberof + refint overlays,
# suffix dc=example,dc=test, users and groups loaded over LDAP so memberof fills memberOf. Passwords are
# random per run. Safe to call twice: a running instance with its env file is left as it is.
set -euo pipefail
state=${1:?usage: start.sh <state-dir>}
mkdir -p "$state"
state=$(cd "$state" && pwd)
dir="$state/slapd"
envfile="$state/slapd.env"

if [ -f "$dir/slapd.pid" ] && kill -0 "$(cat "$dir/slapd.pid")" 2>/dev/null && [ -f "$envfile" ]; then
  echo "slapd already running (pid $(cat "$dir/slapd.pid"))"
  exit 0
fi

export PATH="$PATH:/usr/sbin"
if ! command -v slapd >/dev/null || ! command -v ldapadd >/dev/null || ! command -v openssl >/dev/null; then
  # Installing only: the package's own service is not used (its postinst may try to start it on :389).
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends slapd ldap-utils openssl >/dev/null 2>&1 || {
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends slapd ldap-utils openssl >/dev/null
  }
fi
modules=/usr/lib/ldap
schema=/etc/ldap/schema

suffix="dc=example,dc=test"
admin_dn="cn=admin,$suffix"
random_password() { head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 16; }
admin_pw=$(random_password)

write_config() {
  cat > "$dir/config.ldif" <<EOC
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $dir/slapd.pid
olcArgsFile: $dir/slapd.args
olcTLSCACertificateFile: $tls/ca.pem
olcTLSCertificateFile: $tls/server.pem
olcTLSCertificateKeyFile: $tls/server.key

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: $modules
olcModuleLoad: back_mdb
olcModuleLoad: memberof
olcModuleLoad: refint

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file://$schema/core.ldif
include: file://$schema/cosine.ldif
include: file://$schema/nis.ldif
include: file://$schema/inetorgperson.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: $suffix
olcDbDirectory: $dir/data
olcRootDN: $admin_dn
olcRootPW: $admin_pw
olcDbIndex: objectClass eq
olcDbIndex: uid eq
olcDbIndex: member eq
olcAccess: {0}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {1}to * by * read

dn: olcOverlay={0}memberof,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcMemberOf
olcOverlay: {0}memberof
olcMemberOfRefInt: TRUE
olcMemberOfGroupOC: groupOfNames
olcMemberOfMemberAD: member
olcMemberOfMemberOfAD: memberOf

dn: olcOverlay={1}refint,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcRefintConfig
olcOverlay: {1}refint
olcRefintAttribute: memberof
olcRefintAttribute: member
EOC
}

# A throwaway CA and a certificate for 127.0.0.1/localhost, made here so ldaps and StartTLS can be tested;
# the test process trusts the CA through LDAPTLS_CACERT (libldap reads it at start).
make_certificates() {
  rm -rf "$tls"; mkdir -p "$tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=MongoAuth test LDAP CA" \
    -keyout "$tls/ca.key" -out "$tls/ca.pem" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$tls/server.key" -out "$tls/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$tls/san.ext"
  openssl x509 -req -days 2 -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
    -extfile "$tls/san.ext" -out "$tls/server.pem" >/dev/null 2>&1
}

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_once() {
  rm -rf "$dir"
  mkdir -p "$dir/slapd.d" "$dir/data"
  write_config
  slapadd -n0 -F "$dir/slapd.d" -l "$dir/config.ldif" >/dev/null 2>&1
  port=$((20000 + RANDOM % 20000))
  tls_port=$((port + 1))
  port_is_free "$port" && port_is_free "$tls_port" || return 1
  uri="ldap://127.0.0.1:$port"
  slapd -F "$dir/slapd.d" -h "$uri/ ldaps://127.0.0.1:$tls_port/" 2>"$dir/slapd.log" || return 1
  for _ in $(seq 1 100); do
    ldapwhoami -x -H "$uri" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  return 1
}

tls="$state/slapd-tls"
make_certificates
started=0
for _ in 1 2 3 4 5; do
  if start_once; then started=1; break; fi
  [ -f "$dir/slapd.pid" ] && kill "$(cat "$dir/slapd.pid")" 2>/dev/null || true
done
[ "$started" = 1 ] || { echo "slapd did not start; see $dir/slapd.log" >&2; exit 1; }

users="ou=users,$suffix"
groups="ou=groups,$suffix"
alice_pw=$(random_password); bob_pw=$(random_password); jsmith_pw=$(random_password)
dave_pw=$(random_password); carol_pw=$(random_password)
# jsmith's entry DN needs RFC 4514 escaping (comma); so do two group names (plus sign, quotes).
jsmith_dn="cn=Smith\\, John,$users"
ldapadd -x -H "$uri" -D "$admin_dn" -w "$admin_pw" >/dev/null <<EOD
dn: $suffix
objectClass: dcObject
objectClass: organization
dc: example
o: Example Test

dn: $users
objectClass: organizationalUnit
ou: users

dn: $groups
objectClass: organizationalUnit
ou: groups

dn: uid=alice,$users
objectClass: inetOrgPerson
uid: alice
cn: Alice
sn: Alice
userPassword: $alice_pw

dn: uid=bob,$users
objectClass: inetOrgPerson
uid: bob
cn: Bob
sn: Bob
userPassword: $bob_pw

dn: $jsmith_dn
objectClass: inetOrgPerson
uid: jsmith
cn: Smith, John
sn: Smith
userPassword: $jsmith_pw

dn: uid=dave,$users
objectClass: inetOrgPerson
uid: dave
cn: Dave
sn: Dave
userPassword: $dave_pw

dn: uid=carol,$users
objectClass: inetOrgPerson
uid: carol
cn: Carol
sn: Carol
userPassword: $carol_pw

dn: cn=readers,$groups
objectClass: groupOfNames
cn: readers
member: uid=alice,$users
member: uid=bob,$users
member: $jsmith_dn

dn: cn=admins,$groups
objectClass: groupOfNames
cn: admins
member: uid=alice,$users

dn: cn=writers,$groups
objectClass: groupOfNames
cn: writers
member: uid=bob,$users

dn: cn=R\+D,$groups
objectClass: groupOfNames
cn: R+D
member: $jsmith_dn

dn: cn=\"Quoted\" Team,$groups
objectClass: groupOfNames
cn: "Quoted" Team
member: $jsmith_dn

dn: cn=guests,$groups
objectClass: groupOfNames
cn: guests
member: uid=dave,$users

dn: cn=carol-base,$groups
objectClass: groupOfNames
cn: carol-base
member: uid=carol,$users
EOD

cat > "$envfile" <<EOV
export MONGOAUTH_LDAP_URI=$uri
export MONGOAUTH_LDAP_HOST=127.0.0.1
export MONGOAUTH_LDAP_PORT=$port
export MONGOAUTH_LDAP_LDAPS_PORT=$tls_port
export MONGOAUTH_LDAP_CA_FILE='$tls/ca.pem'
export LDAPTLS_CACERT='$tls/ca.pem'
export MONGOAUTH_LDAP_BASE_DN='$suffix'
export MONGOAUTH_LDAP_BIND_DN='$admin_dn'
export MONGOAUTH_LDAP_BIND_PASSWORD='$admin_pw'
export MONGOAUTH_LDAP_USERS='alice bob jsmith dave carol'
export MONGOAUTH_LDAP_ALICE_PASSWORD='$alice_pw'
export MONGOAUTH_LDAP_BOB_PASSWORD='$bob_pw'
export MONGOAUTH_LDAP_JSMITH_PASSWORD='$jsmith_pw'
export MONGOAUTH_LDAP_DAVE_PASSWORD='$dave_pw'
export MONGOAUTH_LDAP_CAROL_PASSWORD='$carol_pw'
EOV
echo "slapd pid $(cat "$dir/slapd.pid") on $uri"
