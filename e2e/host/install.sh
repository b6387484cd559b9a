#!/usr/bin/env bash
# Installs the end-to-end test host: a real VS Code (code-server 4.100.3 = VS Code 1.100.3,
# Node extension host) and playwright-core, driven through Debian's headless Chromium.
#
# Idempotent. Run it on first use of the e2e command and in CI on a fresh Debian 12 machine as root:
#   bash e2e/host/install.sh
# Steps (each is skipped when already done):
#   1. apt-get install chromium libkrb5-dev ripgrep (+ make/g++/python3 only if missing)
#   2. seed @vscode/ripgrep's download cache with Debian's rg (GitHub is unreachable)
#   3. npm ci in e2e/host with the env fixes code-server's postinstall needs as root, offline from GitHub
#      -- skipped when node_modules/.package-lock.json already matches package-lock.json
#   4. smoke check: code-server --version with a throwaway --config
# Nothing is written to $HOME except npm's usual cache: TMPDIR/XDG_* point into $ISTIO_MIRROR_E2E_DIR
# (default <repo>/.e2e, ignored by git).
#
# Env knobs:
#   ISTIO_MIRROR_E2E_DIR    state folder (default <repo>/.e2e)
#   ISTIO_MIRROR_E2E_FORCE=1  run npm ci even when the fast path would skip it
set -euo pipefail

# ---- pinned facts (specific to code-server 4.100.3; see /work/shared/real-vscode-here.md) ----
CODE_SERVER_VERSION=4.100.3
RG_CACHE_PKG_VERSION=1.15.11   # @vscode/ripgrep version that code-server 4.100.3's lib/vscode installs
RG_ASSET_VERSION=v13.0.0-10    # asset version that @vscode/ripgrep 1.15.11's postinstall downloads

HOST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$HOST_DIR/../.." && pwd)
STATE_DIR=${ISTIO_MIRROR_E2E_DIR:-$REPO_DIR/.e2e}

t_start=$(date +%s%N)
t_step=$t_start
log() { printf '[e2e-host install] %s\n' "$*"; }
elapsed() { # ms since $1
  local now; now=$(date +%s%N); echo $(( (now - $1) / 1000000 ))
}
step_done() { log "  done in $(awk "BEGIN{printf \"%.1f\", $(elapsed "$t_step")/1000}") s"; t_step=$(date +%s%N); }

mkdir -p "$STATE_DIR"
# Serialise concurrent installs (two test runners starting at once).
exec 9>"$STATE_DIR/install.lock"
if ! flock -n 9; then
  log "another install is running; waiting for $STATE_DIR/install.lock"
  flock 9
fi

WORK_TMP=$(mktemp -d "$STATE_DIR/install-XXXXXX")
cleanup() { rm -rf "$WORK_TMP"; }
trap cleanup EXIT
export TMPDIR="$WORK_TMP/tmp"
export XDG_DATA_HOME="$WORK_TMP/xdg/data" XDG_CONFIG_HOME="$WORK_TMP/xdg/config" XDG_CACHE_HOME="$WORK_TMP/xdg/cache"
mkdir -p "$TMPDIR" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"

log "host dir:  $HOST_DIR"
log "state dir: $STATE_DIR"

# ---- 1. Debian packages ----------------------------------------------------------------------
missing=()
pkg_installed() { dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'; }
pkg_installed chromium     && [ -x /usr/bin/chromium ] || missing+=(chromium)
pkg_installed libkrb5-dev  || missing+=(libkrb5-dev)
pkg_installed ripgrep      && command -v rg >/dev/null || missing+=(ripgrep)
# node-gyp builds native addons (kerberos, node-pty, argon2, ...): only add toolchain packages when absent.
command -v make    >/dev/null || missing+=(make)
command -v g++     >/dev/null || missing+=(g++)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  log "1/4 apt-get install ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    log "ERROR: not root; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >"$WORK_TMP/apt.log" 2>&1 || { cat "$WORK_TMP/apt.log"; exit 1; }
  step_done
else
  log "1/4 apt packages present (chromium libkrb5-dev ripgrep)"
fi

# node-gyp must find node headers locally (nodejs.org is unreachable). Debian's/our node ships them in /usr/include/node.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi

# ---- fast path check -------------------------------------------------------------------------
# node_modules/.package-lock.json (npm's hidden lockfile, written at the end of a successful install)
# must list exactly the packages of package-lock.json, and our stamp must say that install passed the smoke check.
lock_hash=$(cat "$HOST_DIR/package.json" "$HOST_DIR/package-lock.json" | sha256sum | cut -d' ' -f1)
STAMP="$HOST_DIR/node_modules/.istio-mirror-host-ok"
lock_matches() {
  node -e '
    const fs = require("fs"), path = require("path");
    const dir = process.argv[1];
    const read = (p) => JSON.parse(fs.readFileSync(path.join(dir, p), "utf8"));
    let lock, hidden;
    try { lock = read("package-lock.json"); hidden = read("node_modules/.package-lock.json"); } catch { process.exit(1); }
    const want = lock.packages || {}, have = hidden.packages || {};
    for (const [k, v] of Object.entries(want)) {
      if (k === "") continue;
      const h = have[k];
      if (!h) { if (v.optional) continue; process.exit(1); }
      if (h.version !== v.version || (v.integrity && h.integrity !== v.integrity)) process.exit(1);
    }
    for (const k of Object.keys(have)) if (!(k in want)) process.exit(1);
    if (!fs.existsSync(path.join(dir, "node_modules/code-server/lib/vscode/node_modules"))) process.exit(1);
  ' "$HOST_DIR"
}

if [ "${ISTIO_MIRROR_E2E_FORCE:-}" != 1 ] && lock_matches && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$lock_hash" ]; then
  log "2/4 ripgrep cache: not needed (npm step skipped)"
  log "3/4 node_modules matches package-lock.json: npm ci skipped (fast path)"
  t_step=$(date +%s%N)
else
  rm -f "$STAMP"
  # ---- 2. seed @vscode/ripgrep's download cache ------------------------------------------------
  case "$(node -p process.arch)" in
    x64)   rg_target=x86_64-unknown-linux-musl ;;
    arm64) rg_target=aarch64-unknown-linux-musl ;;
    *) log "ERROR: unsupported arch $(node -p process.arch)"; exit 1 ;;
  esac
  rg_cache="$TMPDIR/vscode-ripgrep-cache-$RG_CACHE_PKG_VERSION"
  rg_asset="$rg_cache/ripgrep-$RG_ASSET_VERSION-$rg_target.tar.gz"
  log "2/4 seeding ripgrep download cache: $rg_asset (from $(command -v rg))"
  mkdir -p "$rg_cache" "$WORK_TMP/rg"
  cp "$(command -v rg)" "$WORK_TMP/rg/rg"
  tar -czf "$rg_asset" -C "$WORK_TMP/rg" rg
  step_done

  # ---- 3. npm ci ---------------------------------------------------------------------------------
  log "3/4 npm ci in $HOST_DIR (code-server $CODE_SERVER_VERSION builds native addons: about 1 min)"
  (
    cd "$HOST_DIR"
    # unsafe_perm: code-server's postinstall refuses to run as root otherwise.
    # yes: node-pty's postinstall runs `npx node-gyp`, which a `yes=false` npmrc cancels.
    npm_config_unsafe_perm=true npm_config_yes=true \
      npm ci --no-audit --no-fund >"$WORK_TMP/npm.log" 2>&1
  ) || {
    log "ERROR: npm ci failed; last 60 lines of its log:"
    tail -n 60 "$WORK_TMP/npm.log"
    exit 1
  }
  grep -E '^(added|npm (error|ERR))' "$WORK_TMP/npm.log" | sed 's/^/[e2e-host install]   /' || true
  step_done
fi

# ---- 4. smoke check ----------------------------------------------------------------------------
log "4/4 smoke check: code-server --version, chromium --version"
printf 'auth: none\n' >"$WORK_TMP/smoke-config.yaml"   # existing file: code-server writes nothing
cs_out=$("$HOST_DIR/node_modules/.bin/code-server" --config "$WORK_TMP/smoke-config.yaml" \
  --user-data-dir "$WORK_TMP/smoke-ud" --extensions-dir "$WORK_TMP/smoke-ext" --version 2>&1) || {
  log "ERROR: code-server --version failed:"; echo "$cs_out"; exit 1; }
cs_version=$(printf '%s\n' "$cs_out" | grep -E '^[0-9]+\.[0-9]+\.[0-9]+ ' | head -n1 || true)
log "  code-server: ${cs_version:-?}"
case "$cs_version" in
  "$CODE_SERVER_VERSION "*) ;;
  *) log "ERROR: expected code-server $CODE_SERVER_VERSION, got:"; echo "$cs_out"; exit 1 ;;
esac
log "  chromium:    $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
node -e 'require(process.argv[1] + "/node_modules/playwright-core"); console.log("[e2e-host install]   playwright-core: " + require(process.argv[1] + "/node_modules/playwright-core/package.json").version)' "$HOST_DIR"
echo "$lock_hash" >"$STAMP"
step_done

log "ready in $(awk "BEGIN{printf \"%.1f\", $(elapsed "$t_start")/1000}") s"
