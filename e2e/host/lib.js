'use strict';
// Shared helpers for codeShim.js and installVsix.js: where things live, the install check, and the
// per-run isolation folder (TMPDIR, XDG_*, code-server config) so nothing is written into $HOME.

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawnSync } = require('child_process');

const HOST_DIR = __dirname;
const REPO_DIR = path.resolve(HOST_DIR, '..', '..');
const STATE_DIR = path.resolve(process.env.ISTIO_MIRROR_E2E_DIR || path.join(REPO_DIR, '.e2e'));
const CODE_SERVER_DIR = path.join(HOST_DIR, 'node_modules', 'code-server');
const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'out', 'node', 'entry.js');
const STAMP = path.join(HOST_DIR, 'node_modules', '.istio-mirror-host-ok');
const CHROMIUM = process.env.ISTIO_MIRROR_CHROMIUM || '/usr/bin/chromium';

/** Same hash install.sh writes into the stamp after a successful install + smoke check. */
function lockHash() {
  const h = crypto.createHash('sha256');
  h.update(fs.readFileSync(path.join(HOST_DIR, 'package.json')));
  h.update(fs.readFileSync(path.join(HOST_DIR, 'package-lock.json')));
  return h.digest('hex');
}

function isInstalled() {
  try {
    return fs.readFileSync(STAMP, 'utf8').trim() === lockHash() && fs.existsSync(CODE_SERVER_ENTRY) && fs.existsSync(CHROMIUM);
  } catch {
    return false;
  }
}

/**
 * Runs install.sh when the host is not installed yet (first use), unless ISTIO_MIRROR_E2E_NO_INSTALL=1.
 * install.sh's output goes to stderr so that a caller parsing our stdout is not confused.
 */
function ensureInstalled(log) {
  if (isInstalled()) return;
  if (process.env.ISTIO_MIRROR_E2E_NO_INSTALL === '1') {
    throw new Error(`e2e host not installed and ISTIO_MIRROR_E2E_NO_INSTALL=1; run: bash ${path.join(HOST_DIR, 'install.sh')}`);
  }
  log(`e2e host not installed yet: running ${path.join(HOST_DIR, 'install.sh')} (first use; about 1.5-3 min)`);
  const r = spawnSync('bash', [path.join(HOST_DIR, 'install.sh')], { stdio: ['ignore', 2, 2] });
  if (r.status !== 0 || !isInstalled()) {
    throw new Error(`install.sh failed (exit ${r.status})`);
  }
}

function versionInfo() {
  const read = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));
  const cs = read(path.join(CODE_SERVER_DIR, 'package.json'));
  const vsPkg = read(path.join(CODE_SERVER_DIR, 'lib', 'vscode', 'package.json'));
  const product = read(path.join(CODE_SERVER_DIR, 'lib', 'vscode', 'product.json'));
  return { codeServer: cs.version, vscode: vsPkg.version, commit: product.commit || '', arch: process.arch };
}

/**
 * Creates the run folder <STATE_DIR>/runs/<prefix>-<pid>-XXXXXX/ with tmp/, xdg/, home/ and a code-server
 * config.yaml. VS Code puts unix sockets (vscode-ipc-<uuid>.sock, 53 chars) into TMPDIR, and a socket path
 * must stay under 108 bytes; when the repo path is too deep for that, the run folder goes to
 * /tmp/istio-mirror-e2e-<prefix>-XXXXXX instead (still owned by this run and removed with it).
 */
function makeRunDir(prefix) {
  const runsDir = path.join(STATE_DIR, 'runs');
  let dir;
  // "<runsDir>/<prefix>-<pid>-XXXXXX/tmp/vscode-ipc-<36>.sock" must stay <= 107 chars.
  if (runsDir.length + prefix.length + String(process.pid).length + 9 + 5 + 53 <= 100) {
    fs.mkdirSync(runsDir, { recursive: true });
    dir = fs.mkdtempSync(path.join(runsDir, `${prefix}-${process.pid}-`));
  } else {
    dir = fs.mkdtempSync(path.join('/tmp', `istio-mirror-e2e-${prefix}-`));
  }
  for (const sub of ['tmp', 'home', 'xdg/data', 'xdg/config', 'xdg/cache']) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
  }
  // An existing config file means code-server writes none (it would otherwise create one with a password).
  fs.writeFileSync(path.join(dir, 'config.yaml'), 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  return {
    dir,
    tmp: path.join(dir, 'tmp'),
    home: path.join(dir, 'home'),
    config: path.join(dir, 'config.yaml'),
    xdgData: path.join(dir, 'xdg', 'data'),
    xdgConfig: path.join(dir, 'xdg', 'config'),
    xdgCache: path.join(dir, 'xdg', 'cache'),
  };
}

/** Environment for code-server: the caller's env (it must reach the extension host) plus isolation. */
function codeServerEnv(run, extra) {
  const env = { ...process.env, ...extra };
  // Would make code-server forward the folder to an enclosing VS Code instead of starting a server.
  delete env.VSCODE_IPC_HOOK_CLI;
  // Would make code-server believe it is its own child process.
  delete env.CODE_SERVER_PARENT_PID;
  delete env.CODE_SERVER_SESSION_SOCKET;
  delete env.CODE_SERVER_CONFIG;
  // test tools may set this for Electron; it has no meaning here.
  delete env.ELECTRON_RUN_AS_NODE;
  env.TMPDIR = run.tmp;
  env.XDG_DATA_HOME = run.xdgData;
  env.XDG_CONFIG_HOME = run.xdgConfig;
  env.XDG_CACHE_HOME = run.xdgCache;
  return env;
}

function removeDir(dir) {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    /* best effort */
  }
}

module.exports = {
  HOST_DIR,
  REPO_DIR,
  STATE_DIR,
  CODE_SERVER_DIR,
  CODE_SERVER_ENTRY,
  CHROMIUM,
  isInstalled,
  ensureInstalled,
  versionInfo,
  makeRunDir,
  codeServerEnv,
  removeDir,
};
