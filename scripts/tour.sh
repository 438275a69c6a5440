#!/usr/bin/env bash
# A tour of the five connectors against the sandbox: one connection per app, then `discover`,
# `read` and `write` on each through the real host (vault, auth, libcurl, limits, plugin workers).
#
#   bash scripts/tour.sh [DIR]     # DIR (default ./crosswalk-tour) keeps the config, vault key and store
#
# CROSSWALK_BIN names the folder with `crosswalk` and the plugins (default: `swift build`'s bin path).
set -euo pipefail
cd "$(dirname "$0")/.."
B=${CROSSWALK_BIN:-$(swift build --show-bin-path)}
DIR=$(mkdir -p "${1:-crosswalk-tour}" && cd "${1:-crosswalk-tour}" && pwd)
rm -f "$DIR"/crosswalk.db* "$DIR"/vault.key
cw() { "$B/crosswalk" "$@" --config "$DIR/crosswalk.yaml"; }

# 1. The five emulators on free ports; the first line of standard output has their URLs and demo credentials.
coproc SANDBOX { exec "$B/crosswalk" sandbox --port 0 --seed 40 --no-tls 2>/dev/null; }
trap 'kill $SANDBOX_PID 2>/dev/null || true' EXIT
read -r -t 60 START <&"${SANDBOX[0]}"
echo "$START" > "$DIR/sandbox.json"
field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); [d:=d[k] for k in sys.argv[2:]]; print(d)' "$DIR/sandbox.json" "$@"; }
SF=$(field apps salesforce); NS=$(field apps netsuite); HS=$(field apps hubspot); SP=$(field apps spotio); AR=$(field apps aritic)

# 2. One connection per app: settings in the config, secrets only in the vault.
cat > "$DIR/crosswalk.yaml" <<YAML
version: 1
plugins: {enabled: [com.salesforce, com.netsuite, com.hubspot, com.spotio, com.aritic]}
store: {sqlite: ./crosswalk.db}
vault: {key_file: ./vault.key}
connections:
  salesforce: {connector: com.salesforce, settings: {base_url: "$SF"}}
  netsuite:   {connector: com.netsuite, settings: {base_url: "$NS", account_id: "$(field credentials netsuite account_id)"}}
  hubspot:    {connector: com.hubspot, settings: {base_url: "$HS"}}
  spotio:     {connector: com.spotio, settings: {base_url: "$SP"}}
  aritic:     {connector: com.aritic, settings: {base_url: "$AR"}}
YAML
cw vault init >/dev/null
cw connections add salesforce <<JSON
{"scheme":"oauth2","parameters":{"flow":"clientCredentials","clientID":"$(field credentials salesforce client_id)",
 "clientSecret":"$(field credentials salesforce client_secret)","clientAuthentication":"basic","scopes":[],
 "tokenURL":"$SF/services/oauth2/token"}}
JSON
cw connections add netsuite <<JSON
{"scheme":"netsuite_tba","parameters":{"accountID":"$(field credentials netsuite account_id)",
 "consumerKey":"$(field credentials netsuite consumer_key)","consumerSecret":"$(field credentials netsuite consumer_secret)",
 "tokenID":"$(field credentials netsuite token_id)","tokenSecret":"$(field credentials netsuite token_secret)","signatureMethod":"HMAC-SHA256"}}
JSON
cw connections add hubspot <<JSON
{"scheme":"api_key","parameters":{"headerName":"Authorization","scheme":"Bearer","key":"$(field credentials hubspot private_app_token)"}}
JSON
cw connections add spotio <<JSON
{"scheme":"token_exchange","parameters":{"url":"$SP/api/users/apitoken","bodyTemplate":"{\"clientId\":\"{{clientId}}\",\"secret\":\"{{secret}}\"}",
 "values":{"clientId":"$(field credentials spotio client_id)","secret":"$(field credentials spotio secret)"},"tokenField":"accessToken"}}
JSON
cw connections add aritic <<JSON
{"scheme":"basic","parameters":{"username":"$(field credentials aritic username)","password":"$(field credentials aritic password)"}}
JSON
cw plugins list
for c in salesforce netsuite hubspot spotio aritic; do cw connections test "$c"; done

# 3. discover, read and write on each app: the object, a record to create, and its match field.
tour() { # connection object record-json
  echo "== $1 $2"
  cw discover "$1" "$2" | sed -n 1,6p
  cw read "$1" "$2" --limit 3 2>&1 | cut -c1-160
  echo "$3" | cw write "$1" "$2" --operation create
}
tour salesforce Contact '{"fields":{"LastName":"Lovelace","FirstName":"Ada","Email":"ada.tour@example.com"}}'
tour netsuite contact '{"fields":{"firstName":"Ada","lastName":"Lovelace","email":"ada.tour@example.com"}}'
tour hubspot contacts '{"fields":{"email":"ada.tour@example.com","firstname":"Ada","lastname":"Lovelace"}}'
tour spotio Lead '{"fields":{"Company":"Analytical Engines","Email":"ada.tour@example.com"}}'
tour aritic contacts '{"fields":{"email":"ada.tour@example.com","firstname":"Ada","lastname":"Lovelace"}}'
echo "Tour OK: every connector discovered, read and wrote through the host."
