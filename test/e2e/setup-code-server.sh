#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, runs on Node 20) into .cache/code-server/, plus the
# Debian packages the e2e suite needs (chromium, ripgrep, libkrb5-dev). Idempotent: a finished install
# leaves .cache/code-server/.ready and a second run only checks it. Recipe: shared/notes/environment.md.
# Usage: bash test/e2e/setup-code-server.sh        (as root, or with sudo available for apt)
set -euo pipefail
VERSION=4.100.3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${HOTPATH_CODE_SERVER_DIR:-$ROOT/.cache/code-server}"
CS="$CACHE/node_modules/code-server"
VS="$CS/lib/vscode"
export npm_config_yes=true npm_config_unsafe_perm=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

# 1. System packages (chromium drives the workbench; rg is VS Code's search; krb5 headers for kerberos).
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "[setup-code-server] apt-get install ${need[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq "${need[@]}" >/dev/null
fi

if [ -f "$CACHE/.ready" ] && [ "$(cat "$CACHE/.ready")" = "$VERSION" ] && [ -f "$CS/out/node/entry.js" ]; then
  echo "[setup-code-server] code-server $VERSION already installed in $CACHE"
  exit 0
fi

echo "[setup-code-server] installing code-server $VERSION into $CACHE"
rm -f "$CACHE/.ready"
mkdir -p "$CACHE"
[ -f "$CACHE/package.json" ] || echo '{"name":"hotpath-e2e-code-server","private":true}' > "$CACHE/package.json"
( cd "$CACHE" && npm install --no-save --ignore-scripts --loglevel=error "code-server@$VERSION" && npm rebuild argon2 --loglevel=error )
( cd "$VS" && npm install --omit=dev --ignore-scripts --loglevel=error \
  && npm rebuild --loglevel=error kerberos node-pty @parcel/watcher @vscode/spdlog @vscode/deviceid native-watchdog )
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$VS/node_modules/@vscode/ripgrep/bin/rg"
( cd "$VS" && ln -sfn node_modules node_modules.asar )
( cd "$VS/bin/remote-cli" && ln -sfn code-linux.sh code-server )
( cd "$VS/bin/helpers" && ln -sfn browser-linux.sh browser.sh )
( cd "$VS/extensions" && npm install --omit=dev --ignore-scripts --loglevel=error )
echo "$VERSION" > "$CACHE/.ready"
echo "[setup-code-server] done: $CS/out/node/entry.js"
