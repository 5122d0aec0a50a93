#!/usr/bin/env bash
# `make demo`: a store made from example-store/, one accepted and one refused push, a publish,
# an offline verification, and the command that serves the store over HTTP with a token and
# curl lines to try; with DEMO_SERVE=1 (as `make demo` sets it) it then serves the store.
# Everything lives under the directory given (default .demo/).
set -euo pipefail
DEMO=${1:-.demo}
rm -rf "$DEMO" && mkdir -p "$DEMO"
DEMO=$(cd "$DEMO" && pwd)
export GIT_AUTHOR_NAME=${GIT_AUTHOR_NAME:-Demo Author} GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL:-demo@example.org}
export GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-Demo Author} GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL:-demo@example.org}
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "registry init $DEMO/store.git --from example-store"
registry init "$DEMO/store.git" --from example-store

step "git clone the store and change ritual.started compatibly (new optional field, 1.1.0)"
git clone -q "file://$DEMO/store.git" "$DEMO/work"
cd "$DEMO/work"
python - <<'PY'
import json, yaml
p = "contracts/ritual.started/schema.json"
doc = json.load(open(p)); doc["properties"]["note"] = {"type": "string"}
json.dump(doc, open(p, "w"), indent=2)
c = "contracts/ritual.started/contract.yaml"
meta = yaml.safe_load(open(c)); meta["version"] = "1.1.0"
yaml.safe_dump(meta, open(c, "w"), sort_keys=False)
PY
git commit -qam "ritual.started: add optional note"
git push origin HEAD:main

step "a breaking change (drop required runId) with only a minor bump: refused"
python - <<'PY'
import json, yaml
p = "contracts/ritual.started/schema.json"
doc = json.load(open(p)); doc["properties"].pop("runId"); doc["required"].remove("runId")
json.dump(doc, open(p, "w"), indent=2)
c = "contracts/ritual.started/contract.yaml"
meta = yaml.safe_load(open(c)); meta["version"] = "1.2.0"
yaml.safe_dump(meta, open(c, "w"), sort_keys=False)
PY
git commit -qam "ritual.started: drop runId"
git push origin HEAD:main || echo "(push refused, as it should be)"
git reset -q --hard origin/main

step "registry publish contract (no git needed)"
cd "$DEMO"
printf '{"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}\n' > order.json
registry publish contract --name order.placed --version 1.0.0 --description "An order was placed" \
  --json-schema order.json --store "$DEMO/store.git"

step "registry verify $DEMO/store.git (offline: every tag's signature and digest)"
registry verify "$DEMO/store.git"

step "stock git verifies the same signatures"
echo "registry $(cat "$DEMO/store.git/registry-signing-key.pub")" > "$DEMO/allowed_signers"
git -C "$DEMO/store.git" -c gpg.ssh.allowedSignersFile="$DEMO/allowed_signers" verify-tag contracts/ritual.started/1.1.0

step "the read API: serve the store, then read it with curl"
# A development secret kept beside the store, so the token printed here works for the
# server started with the printed command (and again after a restart).
(umask 077 && python -c 'import secrets; print(secrets.token_urlsafe(48))' > "$DEMO/jwt-secret")
TOKEN=$(JWT_SECRET=$(cat "$DEMO/jwt-secret") registry token --sub demo \
  --scopes contracts:read,contracts:write --role admin --tenant '*' --ttl 12h | tail -n 1 | awk '{print $NF}')
API=http://127.0.0.1:${DEMO_PORT:-8080}
cat <<EOF
Serve the demo store (in another terminal; stop it with Ctrl-C):

  JWT_SECRET=\$(cat $DEMO/jwt-secret) $(command -v registry) serve --store $DEMO/store.git --port ${DEMO_PORT:-8080}

A development token (12 h, every scope, admin):

  $TOKEN

Then list the contracts, get a version, and get its raw schema:

  curl -s -H 'Authorization: Bearer $TOKEN' $API/registry/contracts
  curl -s -H 'Authorization: Bearer $TOKEN' $API/registry/contracts/ritual.started/1.1.0
  curl -s -H 'Authorization: Bearer $TOKEN' $API/registry/contracts/ritual.started/1.1.0/schema

The web UI (the token after # stays in your browser; it is never sent in a URL):

  $API/ui/#token=$TOKEN
EOF

step "done: the store is $DEMO/store.git, a clone is $DEMO/work"

# `make demo` serves the store in the foreground (DEMO_SERVE=1); run alone, the script only prints.
if [ "${DEMO_SERVE:-0}" = 1 ]; then
    step "serving the demo store on $API (Ctrl-C stops it); the token and curl lines above work now"
    echo "web UI: $API/ui/#token=$TOKEN"
    JWT_SECRET=$(cat "$DEMO/jwt-secret") exec registry serve --store "$DEMO/store.git" --port "${DEMO_PORT:-8080}"
fi
