#!/usr/bin/env bash
# run.sh - throwaway glewlwyd 2.7 OpenID Connect provider on loopback, plus a
# scripted "browser" that performs an authorization-code + PKCE(S256) login
# with state and nonce, using only curl.
#
# Tested on Debian 12 (glewlwyd 2.7.5-3+deb12u1, curl 7.88, jq 1.6, OpenSSL 3.0), as root.
# Needs: glewlwyd sqlite3 curl jq openssl base64 setpriv (util-linux) and,
# optionally cc + librhonabwy-dev (verify_idtoken.c) and g++ + qt6-networkauth-dev (qt_login_probe.cpp).
#
# Environment knobs:
#   KEEP=1            keep the temp dir (config, db, log, tokens) and print its path
#   LOG_LEVEL=DEBUG   glewlwyd log level (default INFO)
#   SKIP_EXPIRY=1     skip the short-lifetime/expiry phase (saves ~3 s)
#   SKIP_C=1          skip building/using the rhonabwy verifier (verify_idtoken.c)
#   SKIP_QT=1         skip building/running the Qt 6.4 QOAuth2AuthorizationCodeFlow probe (qt_login_probe.cpp)
#
# Exit status 0 only if every check passed.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
LOG_LEVEL=${LOG_LEVEL:-INFO}
SCHEMA=/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3
GLEWLWYD=${GLEWLWYD:-/usr/bin/glewlwyd}

ADMIN_USER=admin          # created by the packaged schema
ADMIN_PASS=password       # default admin password (docs/GETTING_STARTED.md)
PLUGIN=oidc               # plugin instance name -> URL segment /api/oidc/...
CLIENT_ID=nesa-cli
ALICE=alice
ALICE_PASS='alice-Pw-4711'

# ---------------------------------------------------------------- helpers
T0=$(date +%s%N); TPH=$T0
declare -a TIMINGS=()
phase() {  # phase NAME : closes the previous phase and prints a header
  local now; now=$(date +%s%N)
  [ -n "${CUR_PHASE:-}" ] && TIMINGS+=("$(printf '%-48s %6d ms' "$CUR_PHASE" $(( (now - TPH) / 1000000 )))")
  TPH=$now; CUR_PHASE=$1
  [ -n "$1" ] && printf '\n=== %s\n' "$1"
  return 0
}
FAILS=0
ok()   { printf '  ok    %s\n' "$*"; }
bad()  { printf '  FAIL  %s\n' "$*"; FAILS=$((FAILS+1)); }
check(){ # check "description" "expected" "actual"
  if [ "$2" = "$3" ]; then ok "$1 ($3)"; else bad "$1: expected [$2] got [$3]"; fi; }
die()  { echo "FATAL: $*" >&2; exit 1; }

b64url()     { base64 -w0 | tr '+/' '-_' | tr -d '='; }
b64url_dec() { local s; s=$(tr -- '-_' '+/'); while (( ${#s} % 4 )); do s+='='; done; base64 -d <<<"$s"; }
jwt_part()   { cut -d. -f"$2" <<<"$1" | b64url_dec; }   # jwt_part TOKEN 1|2
urlenc()     { jq -rn --arg s "$1" '$s|@uri'; }
qparam()     { sed -n "s/.*[?&]$2=\([^&#]*\).*/\1/p" <<<"$1"; }  # qparam URL NAME
free_port() {  # a port nobody is listening on (bind race is handled by the start retry)
  local p i
  for i in $(seq 1 100); do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

for t in "$GLEWLWYD" sqlite3 curl jq openssl base64; do command -v "$t" >/dev/null || die "missing $t"; done
[ -r "$SCHEMA" ] || die "schema $SCHEMA not found (apt-get install glewlwyd)"

# ---------------------------------------------------------------- (a) temp dir, db, config
phase "a. temp dir + sqlite db + config"
WORK=$(mktemp -d /tmp/glewlwyd-test.XXXXXX)
GPID=; QPID=
cleanup() {
  if [ -n "${QPID:-}" ]; then kill "$QPID" 2>/dev/null || true; wait "$QPID" 2>/dev/null || true; fi
  if [ -n "$GPID" ] && kill -0 "$GPID" 2>/dev/null; then kill "$GPID" 2>/dev/null || true; wait "$GPID" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# full schema incl. oidc plugin tables + admin user; ONE transaction (2.5 s -> 30 ms: no fsync per statement)
{ echo "BEGIN;"; cat "$SCHEMA"; echo "COMMIT;"; } | sqlite3 "$WORK/glewlwyd.db"
phase "a2. RSA-2048 signing key (openssl genrsa)"
openssl genrsa -out "$WORK/sign.key" 2048 2>/dev/null
openssl rsa -in "$WORK/sign.key" -pubout -out "$WORK/sign.pub" 2>/dev/null
CBPORT=$(free_port)                                 # where `nesa login` would listen
REDIRECT_URI="http://127.0.0.1:$CBPORT/callback"

write_config() {  # write_config PORT
  cat > "$WORK/glewlwyd.conf" <<EOF
port=$1
bind_address="127.0.0.1"
external_url="http://127.0.0.1:$1"
login_url="login.html"
api_prefix="api"
log_mode="file"
log_level="$LOG_LEVEL"
log_file="$WORK/glewlwyd.log"
cookie_secure=0
session_key="GLEWLWYD2_SESSION_ID"
session_expiration=3600
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="/usr/lib/glewlwyd/user"
client_module_path="/usr/lib/glewlwyd/client"
user_auth_scheme_module_path="/usr/lib/glewlwyd/scheme"
plugin_module_path="/usr/lib/glewlwyd/plugin"
hash_algorithm="SHA512"
database = { type = "sqlite3"; path = "$WORK/glewlwyd.db"; };
EOF
}

# ---------------------------------------------------------------- (b) start as nobody
phase "b. start glewlwyd (until /config answers)"
if [ "$(id -u)" = 0 ]; then
  command -v setpriv >/dev/null || die "missing setpriv"
  chown -R nobody:nogroup "$WORK"                   # sqlite needs write access to db AND dir (journal)
  AS_NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
else
  AS_NOBODY=()
fi
started=0
for attempt in 1 2 3; do
  PORT=$(free_port); write_config "$PORT"
  [ "$(id -u)" = 0 ] && chown nobody:nogroup "$WORK/glewlwyd.conf"
  "${AS_NOBODY[@]}" "$GLEWLWYD" -c "$WORK/glewlwyd.conf" >"$WORK/stdout.log" 2>&1 &
  GPID=$!                                           # setpriv execs, so this is glewlwyd's pid
  for i in $(seq 1 250); do                         # up to ~5 s
    if curl -s -o /dev/null -m 1 "http://127.0.0.1:$PORT/config/"; then started=1; break; fi
    kill -0 "$GPID" 2>/dev/null || break            # died (e.g. port taken): retry with another port
    sleep 0.02
  done
  [ $started = 1 ] && break
  kill "$GPID" 2>/dev/null || true; wait "$GPID" 2>/dev/null || true; GPID=
done
[ $started = 1 ] || { cat "$WORK"/*.log >&2; die "glewlwyd did not start"; }
BASE="http://127.0.0.1:$PORT"; API="$BASE/api"; OIDC="$API/$PLUGIN"
ok "glewlwyd pid $GPID (user $(ps -o user= -p "$GPID")) on $BASE, callback port $CBPORT"

# ---------------------------------------------------------------- (c) admin login
phase "c. admin login"
AJ="$WORK/admin.jar"
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$AJ" -H 'Content-Type: application/json' \
       -d "{\"username\":\"$ADMIN_USER\",\"password\":\"$ADMIN_PASS\"}" "$API/auth/")
check "POST /api/auth/ as admin" 200 "$code"
admin() {  # admin METHOD PATH [JSON] -> sets ADMIN_BODY and ADMIN_STATUS (no subshell!)
  local out; out=$(curl -s -w "\n%{http_code}" -b "$AJ" -X "$1" -H "Content-Type: application/json" \
                   ${3:+--data-binary "$3"} "$API$2")
  ADMIN_STATUS=${out##*$'\n'}; ADMIN_BODY=${out%$'\n'*}
}

# ---------------------------------------------------------------- (d) provision over the admin API
phase "d. admin API: user module, scope, plugin, client, user"
# d1. let the database user backend store a multi-valued 'groups' property.
#     Properties missing from data-format are silently dropped (or rejected if arrays).
admin GET /mod/user/database
BODY=$(jq -c '{display_name, order_rank, readonly,
        parameters: (.parameters | .["data-format"].groups =
          {"multiple":true,"read":true,"write":true,"profile-read":true,"profile-write":false})}' <<<"$ADMIN_BODY")
admin PUT /mod/user/database "$BODY"; check "PUT /mod/user/database (data-format.groups)" 200 "$ADMIN_STATUS"
admin PUT /mod/user/database/reset;   check "PUT /mod/user/database/reset (apply it)" 200 "$ADMIN_STATUS"

# d2. make the openid scope require a password session -> id_token amr=["password"]
#     (the packaged default is password_required=false -> amr=["session"])
admin PUT /scope/openid '{"display_name":"Open ID","description":"Open ID Connect scope","password_required":true,"password_max_age":0,"scheme":{}}'
check "PUT /scope/openid password_required" 200 "$ADMIN_STATUS"

# d3. the OIDC plugin instance
plugin_json() {  # plugin_json ACCESS_TOKEN_DURATION
  jq -n --arg key "$(cat "$WORK/sign.key")" --arg cert "$(cat "$WORK/sign.pub")" \
        --arg iss "$OIDC" --arg name "$PLUGIN" --argjson atd "$1" '{
    module: "oidc", name: $name, display_name: "Test OIDC", enabled: true,
    parameters: {
      "iss": $iss,
      "jwt-type": "rsa", "jwt-key-size": "256", "key": $key, "cert": $cert,
      "jwks-show": true,
      "access-token-duration": $atd,
      "refresh-token-duration": 1209600, "code-duration": 600, "refresh-token-rolling": true,
      "allow-non-oidc": false,
      "auth-type-code-enabled": true, "auth-type-refresh-enabled": true,
      "auth-type-token-enabled": false, "auth-type-password-enabled": false,
      "auth-type-client-enabled": false, "auth-type-device-enabled": false,
      "auth-type-code-revoke-replayed": false,
      "pkce-allowed": true, "pkce-method-plain-allowed": false, "pkce-required": true,
      "subject-type": "public",
      "allowed-scope": ["openid"],
      "name-claim": "mandatory", "email-claim": "mandatory", "scope-claim": "no",
      "claims": [
        {"name": "groups", "user-property": "groups", "type": "string", "mandatory": true, "on-demand": false, "scope": []},
        {"name": "preferred_username", "user-property": "username", "type": "string", "mandatory": true, "on-demand": false, "scope": []}
      ]
    }}'
}
plugin_json 3600 > "$WORK/plugin.json"
admin POST /mod/plugin/ "$(cat "$WORK/plugin.json")"
check "POST /mod/plugin/ (oidc, RS256, PKCE required) $ADMIN_BODY" 200 "$ADMIN_STATUS"

# d4. public client (no secret), exact loopback redirect URI
admin POST /client/ "$(jq -nc --arg cid "$CLIENT_ID" --arg ru "$REDIRECT_URI" '{
  client_id: $cid, name: "Nesa CLI", description: "public native client", enabled: true,
  confidential: false, scope: [], redirect_uri: [$ru], authorization_type: ["code", "refresh_token"]}')"
check "POST /client/ $CLIENT_ID" 200 "$ADMIN_STATUS"

# d5. the user
admin POST /user/ "$(jq -nc --arg u "$ALICE" --arg p "$ALICE_PASS" '{
  username: $u, password: $p, name: "Alice Liddell", email: "alice@example.test", enabled: true,
  scope: ["openid"], groups: ["clinicians", "staff"]}')"
check "POST /user/ $ALICE" 200 "$ADMIN_STATUS"
admin GET /user/$ALICE
check "alice.groups stored" '["clinicians","staff"]' "$(jq -c .groups <<<"$ADMIN_BODY")"

# ---------------------------------------------------------------- (e) the browser
# new_auth_request: fresh verifier/challenge/state/nonce and the /auth URL
new_auth_request() {
  VERIFIER=$(head -c 48 /dev/urandom | b64url)                                  # 64 chars
  CHALLENGE=$(printf '%s' "$VERIFIER" | openssl dgst -sha256 -binary | b64url)  # S256
  STATE=$(head -c 12 /dev/urandom | b64url); NONCE=$(head -c 12 /dev/urandom | b64url)
  AUTH_URL="$OIDC/auth?response_type=code&client_id=$CLIENT_ID&redirect_uri=$(urlenc "$REDIRECT_URI")&scope=openid&state=$STATE&nonce=$NONCE&code_challenge=$CHALLENGE&code_challenge_method=S256"
}
browser_get() {  # browser_get URL -> prints "STATUS LOCATION"; uses alice's cookie jar
  curl -s -o /dev/null -b "$UJ" -c "$UJ" -w '%{http_code} %{redirect_url}' "$1"
}
# authorize: drive /auth with an authenticated session, print the callback URL
authorize() { browser_get "$AUTH_URL&g_continue" | cut -d' ' -f2-; }
token_exchange() {  # token_exchange CODE VERIFIER REDIRECT_URI -> sets TOKEN_BODY, TOKEN_STATUS
  local out; out=$(curl -s -w '\n%{http_code}' -d grant_type=authorization_code -d "client_id=$CLIENT_ID" \
                   --data-urlencode "redirect_uri=$3" --data-urlencode "code=$1" --data-urlencode "code_verifier=$2" "$OIDC/token")
  TOKEN_STATUS=${out##*$'\n'}; TOKEN_BODY=${out%$'\n'*}
}

phase "e. browser: login alice, consent, /auth -> code"
UJ="$WORK/alice.jar"; : > "$UJ"
new_auth_request
read -r st loc <<<"$(browser_get "$AUTH_URL")"
check "GET /auth without session -> 302" 302 "$st"
case "$loc" in "$BASE/login.html?"*) ok "redirected to login page: ${loc:0:60}...";; *) bad "unexpected Location $loc";; esac
# what the login page (webapp) does, as plain HTTP:
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$UJ" -c "$UJ" -H 'Content-Type: application/json' \
       -d "$(jq -nc --arg u "$ALICE" --arg p "$ALICE_PASS" '{username:$u,password:$p}')" "$API/auth/")
check "POST /api/auth/ alice password" 200 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' -b "$UJ" -X PUT -H 'Content-Type: application/json' \
       -d '{"scope":"openid"}' "$API/auth/grant/$CLIENT_ID/")
check "PUT /api/auth/grant/$CLIENT_ID/ (consent)" 200 "$code"
read -r st loc <<<"$(browser_get "$AUTH_URL")"
check "GET /auth with session but no g_continue -> still login page" "$BASE/login.html" "${loc%%\?*}"
CALLBACK=$(authorize)
echo "  callback: $CALLBACK"
check "callback goes to the registered redirect_uri" "$REDIRECT_URI" "${CALLBACK%%\?*}"
check "state echoed" "$STATE" "$(qparam "$CALLBACK" state)"
CODE=$(qparam "$CALLBACK" code); [ -n "$CODE" ] && ok "code=$CODE" || bad "no code in $CALLBACK"

# ---------------------------------------------------------------- (f) token exchange + inspection
phase "f. token exchange, claims, JWKS, discovery"
token_exchange "$CODE" "$VERIFIER" "$REDIRECT_URI"; TOK=$TOKEN_BODY
check "POST /token (authorization_code + code_verifier)" 200 "$TOKEN_STATUS"
echo "$TOK" | jq -c 'with_entries(if (.value|type)=="string" and (.value|length)>40 then .value=(.value[:24]+"...") else . end)'
ID_TOKEN=$(jq -r .id_token <<<"$TOK"); printf '%s' "$ID_TOKEN" > "$WORK/id_token"
HDR=$(jwt_part "$ID_TOKEN" 1); CLAIMS=$(jwt_part "$ID_TOKEN" 2)
echo "  id_token header: $HDR"
echo "  id_token claims: $(jq -c . <<<"$CLAIMS")"
echo "  access_token claims: $(jwt_part "$(jq -r .access_token <<<"$TOK")" 2 | jq -c .)"
check "alg" RS256 "$(jq -r .alg <<<"$HDR")"
check "iss" "$OIDC" "$(jq -r .iss <<<"$CLAIMS")"
check "aud" "$CLIENT_ID" "$(jq -r .aud <<<"$CLAIMS")"
check "nonce" "$NONCE" "$(jq -r .nonce <<<"$CLAIMS")"
check "groups" '["clinicians","staff"]' "$(jq -c .groups <<<"$CLAIMS")"
check "preferred_username" "$ALICE" "$(jq -r .preferred_username <<<"$CLAIMS")"
check "exp in the future" true "$(jq --argjson now "$(date +%s)" '.exp > $now' <<<"$CLAIMS")"
check "exp - iat (= access-token-duration)" 3600 "$(jq '.exp - .iat' <<<"$CLAIMS")"

DISCO=$(curl -s "$OIDC/.well-known/openid-configuration")
echo "  discovery: $(jq -c '{issuer,authorization_endpoint,token_endpoint,userinfo_endpoint,jwks_uri,code_challenge_methods_supported,id_token_signing_alg_values_supported,token_endpoint_auth_methods_supported}' <<<"$DISCO")"
check "discovery issuer == iss" "$OIDC" "$(jq -r .issuer <<<"$DISCO")"
JWKS=$(curl -s "$(jq -r .jwks_uri <<<"$DISCO")"); printf '%s' "$JWKS" > "$WORK/jwks.json"
echo "  jwks: $(jq -c '.keys[] | {kty,alg,kid,e,n:(.n[:16]+"...")}' <<<"$JWKS")"
KID=$(jq -r .kid <<<"$HDR")
check "header kid present in JWKS" 1 "$(jq --arg k "$KID" '[.keys[]|select(.kid==$k)]|length' <<<"$JWKS")"
# kid (PEM key import) = GnuTLS key id: base64url(SHA-256(DER SubjectPublicKeyInfo)), NOT the RFC 7638 thumbprint
THUMB=$(openssl pkey -pubin -in "$WORK/sign.pub" -outform DER | openssl dgst -sha256 -binary | b64url)
check "kid == b64url(sha256(SPKI DER))" "$KID" "$THUMB"
# JWKS modulus == our key; then verify the RS256 signature with openssl
N_HEX=$(jq -r --arg k "$KID" '.keys[]|select(.kid==$k)|.n' <<<"$JWKS" | b64url_dec | od -An -v -tx1 | tr -d ' \n' | tr a-f A-F)
check "JWKS n == modulus of generated key" "$(openssl rsa -pubin -in "$WORK/sign.pub" -noout -modulus | cut -d= -f2)" "$N_HEX"
printf '%s' "${ID_TOKEN%.*}" > "$WORK/signed_part"; cut -d. -f3 <<<"$ID_TOKEN" | b64url_dec > "$WORK/sig.bin"
if openssl dgst -sha256 -verify "$WORK/sign.pub" -signature "$WORK/sig.bin" "$WORK/signed_part" >/dev/null; then
  ok "RS256 signature verifies (openssl)"; else bad "RS256 signature"; fi
check "userinfo groups" '["clinicians","staff"]' \
  "$(curl -s -H "Authorization: Bearer $(jq -r .access_token <<<"$TOK")" "$OIDC/userinfo" | jq -c .groups)"
# refresh exactly as Qt 6.4 refreshAccessToken() sends it: always client_secret (empty) and redirect_uri
RT=$(jq -r .refresh_token <<<"$TOK")
RF=$(curl -s -w "\n%{http_code}" -d grant_type=refresh_token --data-urlencode "refresh_token=$RT" \
     --data-urlencode "redirect_uri=$REDIRECT_URI" -d "client_id=$CLIENT_ID" -d client_secret= "$OIDC/token")
check "refresh_token grant (Qt-style, empty client_secret)" 200 "${RF##*$'\n'}"
echo "  refresh response keys: $(jq -c keys <<<"${RF%$'\n'*}")"

# optional: the same checks in C with rhonabwy (what nesa would link against)
VERIFY=
if [ "${SKIP_C:-0}" != 1 ] && command -v cc >/dev/null && pkg-config --exists librhonabwy jansson 2>/dev/null; then
  phase "f2. rhonabwy verifier: cc + 5 runs"
  if cc -O0 -o "$WORK/verify_idtoken" "$HERE/verify_idtoken.c" $(pkg-config --cflags --libs librhonabwy jansson) 2>"$WORK/cc.log"; then
    VERIFY="$WORK/verify_idtoken"
    if out=$("$VERIFY" "$WORK/jwks.json" "$WORK/id_token" "$OIDC" "$CLIENT_ID" "$NONCE" 2>&1); then
      ok "rhonabwy verify_idtoken accepts the token"; else bad "rhonabwy verify: $out"; fi
    "$VERIFY" "$WORK/jwks.json" "$WORK/id_token" "$OIDC" "$CLIENT_ID" wrong-nonce >/dev/null 2>&1 && bad "wrong nonce accepted" || ok "rhonabwy rejects a wrong nonce (rc $?)"
    "$VERIFY" "$WORK/jwks.json" "$WORK/id_token" "$OIDC" other-client "$NONCE" >/dev/null 2>&1 && bad "wrong aud accepted" || ok "rhonabwy rejects a wrong aud (rc $?)"
    # tamper with the payload: groups -> admins
    printf '%s.%s.%s' "$(cut -d. -f1 <<<"$ID_TOKEN")" "$(jq -c '.groups=["admins"]' <<<"$CLAIMS" | b64url)" "$(cut -d. -f3 <<<"$ID_TOKEN")" > "$WORK/tampered"
    "$VERIFY" "$WORK/jwks.json" "$WORK/tampered" "$OIDC" "$CLIENT_ID" "$NONCE" >/dev/null 2>&1 && bad "tampered token accepted" || ok "rhonabwy rejects a tampered payload (rc $?)"
    printf '%s.%s.' "$(printf '{"alg":"none","typ":"JWT"}' | b64url)" "$(cut -d. -f2 <<<"$ID_TOKEN")" > "$WORK/alg_none"
    "$VERIFY" "$WORK/jwks.json" "$WORK/alg_none" "$OIDC" "$CLIENT_ID" "$NONCE" >/dev/null 2>&1 && bad "alg=none accepted" || ok "rhonabwy rejects alg=none (rc $?)"
  else
    echo "  (cc failed, see $WORK/cc.log; skipping rhonabwy checks)"
  fi
fi

# ---------------------------------------------------------------- (g) refusals
phase "g. refusals"
token_exchange "$CODE" "$VERIFIER" "$REDIRECT_URI"; R=$TOKEN_BODY
check "same code a second time -> $R" 403 "$TOKEN_STATUS"
check "  error" invalid_code "$(jq -r .error <<<"$R")"

new_auth_request; C2=$(qparam "$(authorize)" code)
token_exchange "$C2" "${VERIFIER}x" "$REDIRECT_URI"; R=$TOKEN_BODY
check "wrong code_verifier -> $R" 403 "$TOKEN_STATUS"
token_exchange "$C2" "" "$REDIRECT_URI"; R=$TOKEN_BODY
check "missing code_verifier -> $R" 403 "$TOKEN_STATUS"
token_exchange "$C2" "$VERIFIER" "http://127.0.0.1:$CBPORT/other"; R=$TOKEN_BODY
check "wrong redirect_uri -> $R" 403 "$TOKEN_STATUS"
check "  error" unauthorized_client "$(jq -r .error <<<"$R")"
token_exchange "$C2" "$VERIFIER" "$REDIRECT_URI"; R=$TOKEN_BODY
check "same code after those failures is still redeemable (not burnt)" 200 "$TOKEN_STATUS"

read -r st loc <<<"$(browser_get "${AUTH_URL/$(urlenc "$REDIRECT_URI")/$(urlenc "http://127.0.0.1:$CBPORT/evil")}&g_continue")"
check "/auth with unregistered redirect_uri -> no redirect" "403 " "$st $loc"
read -r st loc <<<"$(browser_get "${AUTH_URL%%&code_challenge=*}&g_continue")"
check "/auth without PKCE -> error in callback" "invalid_request" "$(qparam "$loc" error)"
read -r st loc <<<"$(browser_get "${AUTH_URL%%&code_challenge=*}&code_challenge=$VERIFIER&code_challenge_method=plain&g_continue")"
check "/auth with PKCE plain -> error in callback" "invalid_request" "$(qparam "$loc" error)"
read -r st loc <<<"$(browser_get "${AUTH_URL/&nonce=$NONCE/}&g_continue")"
check "/auth without nonce -> error in callback ($(qparam "$loc" error_description))" "invalid_request" "$(qparam "$loc" error)"
read -r st loc <<<"$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$AUTH_URL&prompt=none")"
check "/auth prompt=none without session -> error in callback" "interaction_required" "$(qparam "$loc" error)"

# ---------------------------------------------------------------- (q) the real Qt 6.4 client class
if [ "${SKIP_QT:-0}" != 1 ] && command -v g++ >/dev/null && pkg-config --exists Qt6NetworkAuth 2>/dev/null; then
  phase "q1. build qt_login_probe (g++, Qt 6.4)"
  if nice g++ -std=c++17 -fPIC -O0 -o "$WORK/qt_login_probe" "$HERE/qt_login_probe.cpp" \
       $(pkg-config --cflags --libs Qt6Core Qt6Network Qt6NetworkAuth) 2>"$WORK/qt_cc.log"; then
    phase "q2. QOAuth2AuthorizationCodeFlow + PKCE against glewlwyd"
    qt_probe_start() {  # starts the probe, waits for its AUTH_URL line
      "$WORK/qt_login_probe" "$OIDC/auth" "$OIDC/token" "$CLIENT_ID" "$CBPORT" >"$WORK/qt.out" 2>"$WORK/qt.err" &
      QPID=$!
      for i in $(seq 1 250); do grep -q "^AUTH_URL " "$WORK/qt.out" && break; sleep 0.02; done
      QURL=$(sed -n "s/^AUTH_URL //p" "$WORK/qt.out"); QNONCE=$(sed -n "s/^NONCE //p" "$WORK/qt.out")
    }
    qt_probe_wait() { QRC=0; wait "$QPID" || QRC=$?; QPID=; }   # no $(...): wait needs the parent shell
    qt_probe_start
    echo "  Qt authorization URL: $QURL"
    check "Qt URL carries code_challenge_method=S256" S256 "$(qparam "$QURL" code_challenge_method)"
    check "Qt URL carries our nonce" "$QNONCE" "$(qparam "$QURL" nonce)"
    read -r st loc <<<"$(browser_get "$QURL&g_continue")"
    check "glewlwyd redirects the browser to the Qt listener" "$REDIRECT_URI" "${loc%%\?*}"
    page=$(curl -s -m 5 -w " HTTP%{http_code}" "$loc")
    echo "  Qt listener answered: $page"
    case "$page" in *"Signed in to Nesa"*" HTTP200") ok "callback page served by QOAuthHttpServerReplyHandler";; *) bad "callback page: $page";; esac
    qt_probe_wait; check "Qt flow exit status (0 = granted)" 0 "$QRC"
    sed -n "s/^ID_TOKEN //p" "$WORK/qt.out" > "$WORK/qt_id_token"
    if [ -n "$VERIFY" ]; then
      if out=$("$VERIFY" "$WORK/jwks.json" "$WORK/qt_id_token" "$OIDC" "$CLIENT_ID" "$QNONCE" 2>&1); then
        ok "id_token from Qt flow verifies (rhonabwy): $(jq -c "{preferred_username,groups,nonce}" <<<"$out")"
      else bad "Qt id_token: $out"; fi
    fi
    # error path: hand Qt a callback with the right state but a bogus code -> token endpoint 403
    qt_probe_start
    loc="$REDIRECT_URI?state=$(qparam "$QURL" state)&code=bogus"
    curl -s -o /dev/null -m 5 "$loc" || true
    qt_probe_wait; check "Qt flow exit status on refused code (2)" 2 "$QRC"
    echo "  probe saw: $(grep -E "^(TOKEN_ERROR|AUTH_ERROR|TIMEOUT)" "$WORK/qt.out")"
    echo "  Qt warnings: $(tr "\n" " " < "$WORK/qt.err")"
  else
    echo "  (g++ failed, see $WORK/qt_cc.log; skipping the Qt probe)"
  fi
fi

# ---------------------------------------------------------------- short id_token lifetime
if [ "${SKIP_EXPIRY:-0}" != 1 ]; then
  phase "x. short token lifetime (2 s) + expiry"
  # exp = iat + access-token-duration for BOTH access and id token; update needs a reset to apply
  admin PUT /mod/plugin/$PLUGIN "$(plugin_json 2 | jq -c '{display_name, enabled, parameters}')"
  check "PUT /mod/plugin/$PLUGIN access-token-duration=2" 200 "$ADMIN_STATUS"
  admin PUT /mod/plugin/$PLUGIN/reset; check "PUT /mod/plugin/$PLUGIN/reset" 200 "$ADMIN_STATUS"
  new_auth_request; C3=$(qparam "$(authorize)" code)
  token_exchange "$C3" "$VERIFIER" "$REDIRECT_URI"; R=$TOKEN_BODY; check "token exchange" 200 "$TOKEN_STATUS"
  check "expires_in" 2 "$(jq .expires_in <<<"$R")"
  jq -r .id_token <<<"$R" > "$WORK/short_id_token"
  check "id_token exp - iat" 2 "$(jwt_part "$(cat "$WORK/short_id_token")" 2 | jq '.exp - .iat')"
  if [ -n "$VERIFY" ]; then
    "$VERIFY" "$WORK/jwks.json" "$WORK/short_id_token" "$OIDC" "$CLIENT_ID" "$NONCE" >/dev/null 2>&1 && ok "fresh short-lived token accepted" || bad "fresh short token rejected"
    sleep 3
    "$VERIFY" "$WORK/jwks.json" "$WORK/short_id_token" "$OIDC" "$CLIENT_ID" "$NONCE" >/dev/null 2>&1 && bad "expired token accepted" || ok "expired token rejected after 3 s (rc $?)"
  fi
fi

# ---------------------------------------------------------------- (h) stop
phase "h. stop glewlwyd"
kill "$GPID"; wait "$GPID" 2>/dev/null || true
kill -0 "$GPID" 2>/dev/null && bad "still running" || ok "stopped"
GPID=
ERRS=$(grep -c ' ERROR: ' "$WORK/glewlwyd.log" || true)
echo "  glewlwyd log: $(wc -l < "$WORK/glewlwyd.log") lines, $ERRS ERROR lines"
phase ""

printf '\n=== timings\n'; printf '  %s\n' "${TIMINGS[@]}"
printf '  %-48s %6d ms\n' total $(( ($(date +%s%N) - T0) / 1000000 ))
if [ "$FAILS" = 0 ]; then echo "ALL CHECKS PASSED"; else echo "$FAILS CHECK(S) FAILED"; exit 1; fi
