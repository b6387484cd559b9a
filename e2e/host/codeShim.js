#!/usr/bin/env node
'use strict';
/*
 * codeShim.js: a stand-in "VS Code executable" for the standard extension test tools.
 *
 * @vscode/test-electron `runTests({ vscodeExecutablePath: '<repo>/e2e/host/codeShim.js', ... })` and
 * @vscode/test-cli `useInstallation: { fromPath: '<repo>/e2e/host/codeShim.js' }` spawn this file with the
 * command line they would give a desktop VS Code. We run the tests in a real VS Code instead:
 * code-server 4.100.3 (= VS Code 1.100.3, Node extension host on this machine's node), with its
 * workbench loaded in headless Debian Chromium through playwright-core.
 *
 * Command line understood (both `--flag=value` and `--flag value`):
 *   --extensionDevelopmentPath=<dir>   (repeatable) extension(s) under development
 *   --extensionTestsPath=<file|dir>    test runner module exporting run()
 *   --user-data-dir=<dir>              code-server user data (default: private, per run)
 *   --extensions-dir=<dir>             installed extensions (default: private, empty, per run)
 *   <folder> | <file.code-workspace>   optional workspace to open
 *   --version / -v                     prints "1.100.3\n<commit>\n<arch>" like `code --version`
 *   --timeout=<ms>                     overall limit (default 600000, env ISTIO_MIRROR_E2E_TIMEOUT_MS)
 *   --screenshot-dir=<dir>             screenshot protocol below (env ISTIO_MIRROR_SCREENSHOT_DIR)
 *   --screenshot=<file.png>            take one screenshot of the workbench just before exiting
 *                                      (env ISTIO_MIRROR_SCREENSHOT_ON_EXIT)
 *   anything else (--no-sandbox, --disable-gpu-sandbox, --disable-updates, --skip-welcome,
 *   --skip-release-notes, --disable-workspace-trust, --disable-extensions, ...) is ignored.
 *
 * Installed-VSIX mode: launch with --extensionTestsPath and --extensions-dir but no
 * --extensionDevelopmentPath (or set ISTIO_MIRROR_SHIM_NO_DEV_PATH=1 to drop the one test-electron always
 * passes). VS Code only runs extensionTestsPath when some development extension is present (its extension
 * host throws "Cannot load test runner" otherwise), so the shim then generates an inert stub development
 * extension (`istio-mirror-e2e.test-runner-stub`: no main, no activation events, no contributions). The
 * extension that gets activated is the one installed in --extensions-dir (see installVsix.js).
 *
 * Exit code: the code the workbench passes to window.codeAutomationExit (the test runner's result);
 * 124 on the overall timeout; 1 when code-server/Chromium fail; 130/143 on SIGINT/SIGTERM.
 * Extension-host console output (mocha's reporter) arrives through window.codeAutomationLog and is written
 * to stdout; the harmless `ENOTFOUND open-vsx.org` marketplace noise is dropped.
 * The environment of this process reaches the extension host (VSCODE_TEST_OPTIONS from test-cli,
 * extensionTestsEnv, anything the tests read), except VSCODE_IPC_HOOK_CLI, CODE_SERVER_* and
 * ELECTRON_RUN_AS_NODE, and with TMPDIR/XDG_*_HOME pointing into the run folder.
 *
 * SCREENSHOT PROTOCOL (extension-host code cannot call into the browser page, so it goes through files):
 *   The shim watches a directory D = --screenshot-dir / $ISTIO_MIRROR_SCREENSHOT_DIR (created if missing;
 *   the absolute path is exported to the extension host as ISTIO_MIRROR_SCREENSHOT_DIR).
 *   1. The test creates the file  D/<name>.request  (content ignored; <name> matches [A-Za-z0-9._-]+).
 *   2. The shim takes a screenshot of the whole workbench (viewport 1400x900), writes it to
 *      D/<name>.png.tmp, renames it to D/<name>.png (so a reader never sees a partial file), then deletes
 *      D/<name>.request.
 *   3. The test waits until <name>.request is gone (or <name>.png exists) and may read the PNG.
 *   If the screenshot fails, the shim writes D/<name>.error with the message instead of the PNG and deletes
 *   the request. e2e/host/screenshot.js has a ready-made helper: `await requestScreenshot('after-open')`.
 *
 * UI PROTOCOL (the same idea, for tests that drive the workbench the way a user does: type into a quick
 *   input or the editor, press keys, read what a widget shows). The shim always watches D2 = <run>/ui and
 *   exports it as ISTIO_MIRROR_UI_DIR. A test writes D2/<id>.ui.json = {"steps":[...]} (via .tmp + rename);
 *   the shim runs the steps in order on the page and writes D2/<id>.result.json = {"ok":true,"results":[...]}
 *   or {"ok":false,"error":"..."}. Steps: {"type":"<text>"} types text with the keyboard, {"press":"Enter"}
 *   presses a key (playwright key names, "Control+Space"), {"texts":"<css>"} returns the innerText of every
 *   matching visible element, {"attributes":"<css>","name":"aria-label"} returns an attribute of each,
 *   {"waitFor":"<css>","timeoutMs":N} waits until one is visible, {"waitGone":"<css>"} until none is,
 *   {"click":"<css>"} clicks the first visible match, {"typeMeasured":"abc","in":"<css>","prefix":"x","pauseMs":N}
 *   presses each key and returns the milliseconds until <css> shows the text typed so far (polled every
 *   animation frame: keystroke to screen), {"frameImages":"<css>"} returns the matching <img>s of every frame
 *   (webviews too) with their src (cut), class and natural size. e2e/host/uiDriver.js is the client.
 *
 * Other env: ISTIO_MIRROR_E2E_VERBOSE=1 echoes code-server's log and the browser console;
 * ISTIO_MIRROR_E2E_KEEP=1 keeps the run folder (<repo>/.e2e/runs/shim-*); ISTIO_MIRROR_E2E_DIR moves
 * <repo>/.e2e; ISTIO_MIRROR_E2E_NO_INSTALL=1 fails instead of running install.sh on first use.
 */

const fs = require('fs');
const path = require('path');
const net = require('net');
const { spawn } = require('child_process');
const { pathToFileURL } = require('url');
const lib = require('./lib');

const TAG = '[codeShim]';
const VERBOSE = process.env.ISTIO_MIRROR_E2E_VERBOSE === '1';
const KEEP = process.env.ISTIO_MIRROR_E2E_KEEP === '1';
const VIEWPORT = { width: 1400, height: 900 };
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
const NOISE = [/ENOTFOUND open-vsx\.org/, /open-vsx\.org.*(ENOTFOUND|Failed to fetch|getaddrinfo)/];
// Routine info lines of the web workbench itself (not of the extension host); shown only with VERBOSE.
const WORKBENCH_CHATTER = [
  /^Resolving connection token \(/,
  /^Resolved connection token \(/,
  /^Creating a socket \(renderer-/,
  /^Updating additional builtin extensions cache$/,
  /^\[Service Worker\] registered$/,
  /^ChatSessionStore: Migrating \d+ chat sessions/,
  /^WARNING: IPC handle ".*" is longer than 107 chars/,
  /^Creation of workbench contribution '[^']*' took \d+ms\.$/,
];

const say = (msg) => process.stderr.write(`${TAG} ${msg}\n`);
const isNoise = (text) => NOISE.some((re) => re.test(text));

// ---------------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------------
function parseArgs(argv) {
  const out = { devPaths: [], testsPath: undefined, userDataDir: undefined, extensionsDir: undefined, target: undefined, ignored: [] };
  const valueFlags = new Set([
    'extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir', 'timeout', 'screenshot-dir', 'screenshot',
  ]);
  // VS Code flags that take a separate value; skip the value so it is not mistaken for the folder argument.
  const ignoredValueFlags = new Set([
    'locale', 'log', 'crash-reporter-directory', 'extensionDevelopmentKind', 'inspect-extensions', 'inspect-brk-extensions',
    'disable-extension', 'enable-proposed-api', 'sync', 'profile', 'logsPath', 'logExtensionHostCommunication',
  ]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--version' || a === '-v') { out.version = true; continue; }
    if (a === '--help' || a === '-h') { out.help = true; continue; }
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(a);
    if (!m) {
      if (out.target === undefined) out.target = a; else out.ignored.push(a);
      continue;
    }
    const name = m[1];
    let value = m[2];
    if (valueFlags.has(name)) {
      if (value === undefined) value = argv[++i];
      if (value === undefined) throw new Error(`${a} needs a value`);
      switch (name) {
        case 'extensionDevelopmentPath': out.devPaths.push(path.resolve(value)); break;
        case 'extensionTestsPath': out.testsPath = path.resolve(value); break;
        case 'user-data-dir': out.userDataDir = path.resolve(value); break;
        case 'extensions-dir': out.extensionsDir = path.resolve(value); break;
        case 'timeout': out.timeoutMs = Number(value); break;
        case 'screenshot-dir': out.screenshotDir = path.resolve(value); break;
        case 'screenshot': out.screenshotOnExit = path.resolve(value); break;
      }
    } else {
      if (value === undefined && ignoredValueFlags.has(name) && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) i++;
      out.ignored.push(a);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------
let args;
try {
  args = parseArgs(process.argv.slice(2));
} catch (e) {
  say(`ERROR: ${e.message}`);
  process.exit(2);
}

if (args.help) {
  process.stdout.write(fs.readFileSync(__filename, 'utf8').split('*/')[0].replace(/^#!.*\n'use strict';\n\/\*\n/, '').replace(/^ \* ?/gm, ''));
  process.exit(0);
}

if (args.version) {
  try {
    lib.ensureInstalled(say);
    const v = lib.versionInfo();
    process.stdout.write(`${v.vscode}\n${v.commit}\n${v.arch}\n`);
    process.exit(0);
  } catch (e) {
    say(`ERROR: ${e.message}`);
    process.exit(1);
  }
}

const timeoutMs = args.timeoutMs || Number(process.env.ISTIO_MIRROR_E2E_TIMEOUT_MS) || 10 * 60 * 1000;
const screenshotDir = args.screenshotDir || (process.env.ISTIO_MIRROR_SCREENSHOT_DIR ? path.resolve(process.env.ISTIO_MIRROR_SCREENSHOT_DIR) : undefined);
const screenshotOnExit = args.screenshotOnExit || (process.env.ISTIO_MIRROR_SCREENSHOT_ON_EXIT ? path.resolve(process.env.ISTIO_MIRROR_SCREENSHOT_ON_EXIT) : undefined);

const state = {
  run: undefined,
  codeServer: undefined, // ChildProcess (group leader)
  codeServerLog: [], // last lines, for error reports
  browser: undefined,
  page: undefined,
  exiting: false,
  timers: [],
};

function remember(line) {
  if (isNoise(line)) return;
  state.codeServerLog.push(line);
  if (state.codeServerLog.length > 200) state.codeServerLog.shift();
}

function killCodeServer() {
  const cs = state.codeServer;
  if (!cs || cs.exitCode !== null || cs.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => { clearTimeout(hard); resolve(); };
    cs.once('exit', done);
    try { process.kill(-cs.pid, 'SIGTERM'); } catch { /* already gone */ }
    const hard = setTimeout(() => {
      try { process.kill(-cs.pid, 'SIGKILL'); } catch { /* already gone */ }
      setTimeout(resolve, 200);
    }, 3000);
  });
}

function killCodeServerSync() {
  const cs = state.codeServer;
  if (cs && cs.pid && cs.exitCode === null && cs.signalCode === null) {
    try { process.kill(-cs.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}

async function finish(code, reason) {
  if (state.exiting) return;
  state.exiting = true;
  for (const t of state.timers) clearInterval(t);
  if (reason) say(reason);
  if (screenshotOnExit && state.page) {
    try {
      fs.mkdirSync(path.dirname(screenshotOnExit), { recursive: true });
      await withTimeout(state.page.screenshot({ path: screenshotOnExit }), 15000, 'screenshot');
      say(`screenshot on exit: ${screenshotOnExit}`);
    } catch (e) {
      say(`screenshot on exit failed: ${e.message}`);
    }
  }
  if ((code === 1 || code === 124) && !VERBOSE && state.codeServerLog.length && reason) {
    say('last code-server output:');
    for (const l of state.codeServerLog.slice(-30)) process.stderr.write(`  ${l}\n`);
  }
  if (state.browser) {
    await withTimeout(state.browser.close(), 10000, 'browser.close').catch(() => {});
  }
  await killCodeServer();
  if (state.run) {
    if (KEEP) say(`run folder kept: ${state.run.dir}`);
    else {
      lib.removeDir(state.run.dir);
      // A dying Chromium may still write into its temp profile: try once more.
      if (fs.existsSync(state.run.dir)) { await new Promise((r) => setTimeout(r, 500)); lib.removeDir(state.run.dir); }
    }
  }
  process.exitCode = code;
  // Do not wait for stray handles (playwright, watchers).
  setTimeout(() => process.exit(code), 50).unref();
}

function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([
    promise,
    new Promise((_, reject) => { t = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms); }),
  ]).finally(() => clearTimeout(t));
}

for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(sig, () => {
    if (state.exiting) { killCodeServerSync(); process.exit(code); }
    finish(code, `received ${sig}: stopping code-server and Chromium`);
  });
}
process.on('exit', killCodeServerSync); // last resort: never leave the code-server group behind

/** Starts code-server on 127.0.0.1 with an OS-chosen port and resolves with that port. */
function startCodeServer(run, userDataDir, extensionsDir, extraEnv) {
  const csArgs = [
    lib.CODE_SERVER_ENTRY,
    '--config', run.config,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--session-socket', path.join(run.tmp, 'cs-session.sock'),
    // --host/--port beat the PORT and CODE_SERVER_HOST env vars, which must stay untouched for the tests.
    '--bind-addr', '127.0.0.1:0', '--host', '127.0.0.1', '--port', '0',
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  const child = spawn(process.execPath, csArgs, {
    cwd: run.dir,
    env: lib.codeServerEnv(run, extraEnv),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: we kill the whole tree (extension host, language servers) by -pid
  });
  state.codeServer = child;
  return new Promise((resolve, reject) => {
    let settled = false;
    const onLine = (line) => {
      if (!line.trim()) return;
      remember(line);
      if (VERBOSE && !isNoise(line)) process.stderr.write(`[code-server] ${line}\n`);
      const m = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(line);
      if (m && !settled) { settled = true; resolve(Number(m[1])); }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (d) => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) { onLine(buf.slice(0, i)); buf = buf.slice(i + 1); }
      });
    }
    child.on('error', (e) => { if (!settled) { settled = true; reject(e); } });
    child.on('exit', (code, signal) => {
      if (!settled) { settled = true; reject(new Error(`code-server exited early (${code ?? signal})`)); return; }
      if (!state.exiting) finish(1, `ERROR: code-server exited unexpectedly (${code ?? signal})`);
    });
    const t = setTimeout(() => { if (!settled) { settled = true; reject(new Error('code-server did not report its port within 60 s')); } }, 60000);
    t.unref();
  });
}

function writeStubExtension(dir) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'test-runner-stub',
    displayName: 'istio-mirror e2e test-runner stub (generated by codeShim.js)',
    publisher: 'istio-mirror-e2e',
    version: '0.0.0',
    engines: { vscode: '*' },
  }, null, 2));
  return dir;
}

/** Default user settings for a fresh user-data-dir: quiet, offline, no welcome page. */
function seedUserSettings(userDataDir) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'security.workspace.trust.enabled': false,
    'git.enabled': false,
  }, null, 2));
}

async function startScreenshotWatcher(page, dir) {
  fs.mkdirSync(dir, { recursive: true });
  let busy = false;
  const poll = async () => {
    if (busy || state.exiting) return;
    busy = true;
    try {
      let names;
      try { names = fs.readdirSync(dir); } catch { return; }
      for (const f of names) {
        if (!f.endsWith('.request')) continue;
        const name = f.slice(0, -'.request'.length);
        const req = path.join(dir, f);
        if (!/^[A-Za-z0-9._-]+$/.test(name)) {
          fs.writeFileSync(path.join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.error`), 'bad screenshot name\n');
          fs.rmSync(req, { force: true });
          continue;
        }
        const png = path.join(dir, `${name}.png`);
        try {
          const buf = await withTimeout(page.screenshot(), 30000, 'screenshot');
          fs.writeFileSync(`${png}.tmp`, buf);
          fs.renameSync(`${png}.tmp`, png);
          say(`screenshot "${name}" -> ${png}`);
        } catch (e) {
          fs.writeFileSync(path.join(dir, `${name}.error`), `${e.message}\n`);
          say(`screenshot "${name}" failed: ${e.message}`);
        }
        fs.rmSync(req, { force: true });
      }
    } finally {
      busy = false;
    }
  };
  state.timers.push(setInterval(poll, 150));
}

/** Runs one step of the UI protocol (see the header) and returns its result. */
async function runUiStep(page, step) {
  const visible = (selector) => page.locator(selector).filter({ visible: true });
  if (typeof step.type === 'string') { await page.keyboard.type(step.type, { delay: step.delay ?? 10 }); return null; }
  if (typeof step.press === 'string') { await page.keyboard.press(step.press); return null; }
  if (typeof step.texts === 'string') return visible(step.texts).allInnerTexts();
  if (typeof step.attributes === 'string') {
    const elements = await visible(step.attributes).all();
    return Promise.all(elements.map((element) => element.getAttribute(step.name || 'aria-label')));
  }
  if (typeof step.waitFor === 'string') { await visible(step.waitFor).first().waitFor({ state: 'visible', timeout: step.timeoutMs ?? 15000 }); return true; }
  if (typeof step.waitGone === 'string') { await page.locator(step.waitGone).filter({ visible: true }).first().waitFor({ state: 'detached', timeout: step.timeoutMs ?? 15000 }).catch(async () => { if (await visible(step.waitGone).count()) throw new Error(`still visible: ${step.waitGone}`); }); return true; }
  if (typeof step.typeMeasured === 'string') {
    // Keystroke to screen: each character is pressed, then the page is polled every animation
    // frame until the element `in` shows the text typed so far; the milliseconds per key.
    const times = [];
    let typed = step.prefix || '';
    for (const key of step.typeMeasured) {
      typed += key;
      const started = Date.now();
      await page.keyboard.press(key === ' ' ? 'Space' : key);
      await page.waitForFunction(({ selector, text }) => [...document.querySelectorAll(selector)].some((node) => (node.textContent || '').replace(/\u00a0/g, ' ').includes(text)), { selector: step.in, text: typed }, { polling: 'raf', timeout: step.timeoutMs ?? 30000 });
      times.push(Date.now() - started);
      if (step.pauseMs) await new Promise((resolve) => setTimeout(resolve, step.pauseMs));
    }
    return times;
  }
  if (typeof step.frameImages === 'string') {
    // The <img> elements matching the selector in every frame of the page, webviews included (the
    // extension details page, panels): their source (cut to 100 characters), class and loaded size.
    const found = [];
    for (const frame of page.frames()) {
      const images = await frame.$$eval(step.frameImages, (nodes) => nodes.map((img) => ({ src: (img.getAttribute('src') || '').slice(0, 100), alt: img.alt, className: img.className, complete: img.complete, width: img.naturalWidth, height: img.naturalHeight }))).catch(() => []);
      found.push(...images);
    }
    return found;
  }
  if (typeof step.click === 'string') { await visible(step.click).first().click({ timeout: step.timeoutMs ?? 15000 }); return null; }
  // Puts `text` into the form field itself (focused, its value replaced, an input event fired):
  // keys typed while the workbench moves the focus elsewhere would land in another element.
  if (typeof step.fill === 'string') { await visible(step.fill).first().fill(step.text ?? '', { timeout: step.timeoutMs ?? 15000 }); return null; }
  throw new Error(`unknown UI step ${JSON.stringify(step)}`);
}

async function startUiDriver(page, dir) {
  fs.mkdirSync(dir, { recursive: true });
  let busy = false;
  const poll = async () => {
    if (busy || state.exiting) return;
    busy = true;
    try {
      let names;
      try { names = fs.readdirSync(dir); } catch { return; }
      for (const f of names.filter((name) => name.endsWith('.ui.json')).sort()) {
        const id = f.slice(0, -'.ui.json'.length);
        const file = path.join(dir, f);
        let answer;
        try {
          const { steps } = JSON.parse(fs.readFileSync(file, 'utf8'));
          const results = [];
          for (const step of steps) results.push(await withTimeout(runUiStep(page, step), 60000, 'UI step'));
          answer = { ok: true, results };
        } catch (e) {
          answer = { ok: false, error: e.message };
        }
        fs.rmSync(file, { force: true });
        const out = path.join(dir, `${id}.result.json`);
        fs.writeFileSync(`${out}.tmp`, JSON.stringify(answer));
        fs.renameSync(`${out}.tmp`, out);
      }
    } finally {
      busy = false;
    }
  };
  state.timers.push(setInterval(poll, 50));
}

/** codeAutomationLog receives console-style arguments ('%s' format string first, e.g. from mocha). */
function formatLogArgs(logArgs) {
  return require('util').format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
}

async function main() {
  if (!args.testsPath) {
    say('ERROR: --extensionTestsPath=<module> is required (this shim only runs extension tests)');
    return finish(2);
  }
  lib.ensureInstalled(say);
  const t0 = Date.now();
  const run = lib.makeRunDir('shim');
  state.run = run;

  const userDataDir = args.userDataDir || path.join(run.dir, 'user-data');
  const extensionsDir = args.extensionsDir || path.join(run.dir, 'extensions');
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  seedUserSettings(userDataDir);

  let devPaths = args.devPaths;
  if (process.env.ISTIO_MIRROR_SHIM_NO_DEV_PATH === '1' && devPaths.length) {
    say(`ISTIO_MIRROR_SHIM_NO_DEV_PATH=1: not loading ${devPaths.join(', ')} as a development extension`);
    devPaths = [];
  }
  if (!devPaths.length) {
    devPaths = [writeStubExtension(path.join(run.dir, 'test-runner-stub'))];
    say(`no development extension: running the tests against the extensions installed in ${extensionsDir}`);
  }

  const extraEnv = {};
  if (screenshotDir) extraEnv.ISTIO_MIRROR_SCREENSHOT_DIR = screenshotDir;
  const uiDir = path.join(run.dir, 'ui');
  extraEnv.ISTIO_MIRROR_UI_DIR = uiDir;

  const port = await startCodeServer(run, userDataDir, extensionsDir, extraEnv);
  const authority = `127.0.0.1:${port}`;
  const remote = (p) => `vscode-remote://${authority}${pathToFileURL(p).pathname}`;
  const payload = [
    ...devPaths.map((p) => ['extensionDevelopmentPath', remote(p)]),
    ['extensionTestsPath', remote(args.testsPath)],
  ];
  const query = new URLSearchParams();
  if (args.target) {
    const target = path.resolve(args.target);
    query.set(target.endsWith('.code-workspace') ? 'workspace' : 'folder', target);
  } else {
    query.set('ew', 'true'); // empty window, not whatever code-server opened last
  }
  query.set('payload', JSON.stringify(payload));
  const url = `http://${authority}/?${query.toString()}`;
  say(`code-server ${lib.versionInfo().codeServer} (VS Code ${lib.versionInfo().vscode}) on http://${authority}/ after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (VERBOSE) say(`workbench URL: ${url}`);

  const { chromium } = require(path.join(lib.HOST_DIR, 'node_modules', 'playwright-core'));
  state.browser = await chromium.launch({
    executablePath: lib.CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    // We shut down in our own order (browser, then code-server, then the run folder) on these signals.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    // Chromium writes ~/.pki and ~/.config/chromium otherwise; its temp profile goes to TMPDIR.
    env: { ...process.env, HOME: run.home, TMPDIR: run.tmp, XDG_CONFIG_HOME: run.xdgConfig, XDG_CACHE_HOME: run.xdgCache },
  });
  state.browser.on('disconnected', () => { if (!state.exiting) finish(1, 'ERROR: Chromium disconnected'); });
  const context = await state.browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  state.page = page;

  await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
    const text = formatLogArgs(logArgs);
    if (isNoise(text)) return;
    if (WORKBENCH_CHATTER.some((re) => re.test(text))) {
      if (VERBOSE) process.stderr.write(`[workbench ${type}] ${text}\n`);
      return;
    }
    process.stdout.write(`${text}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => {
    const n = Number.isInteger(code) ? code : Number(code);
    const exitCode = Number.isFinite(n) ? n : 1;
    say(`tests finished with exit code ${exitCode} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    finish(exitCode);
  });
  page.on('crash', () => { if (!state.exiting) finish(1, 'ERROR: the workbench page crashed'); });
  page.on('pageerror', (err) => { if (VERBOSE) process.stderr.write(`[page error] ${err.message}\n`); });
  if (VERBOSE) {
    page.on('console', (msg) => {
      const text = msg.text();
      if (!isNoise(text)) process.stderr.write(`[browser ${msg.type()}] ${text}\n`);
    });
  }
  if (screenshotDir) {
    await startScreenshotWatcher(page, screenshotDir);
    say(`screenshot requests: create ${screenshotDir}/<name>.request`);
  }
  await startUiDriver(page, uiDir);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
}

const overall = setTimeout(() => {
  const secs = Math.round(timeoutMs / 1000);
  (async () => {
    let shot = '';
    if (state.page && state.run) {
      const file = path.join(lib.STATE_DIR, `shim-timeout-${process.pid}.png`);
      try {
        await withTimeout(state.page.screenshot({ path: file }), 10000, 'screenshot');
        shot = ` A screenshot of the workbench at that moment: ${file}`;
      } catch { /* ignore */ }
    }
    finish(124, `ERROR: TIMEOUT: the tests did not finish within ${secs} s (no codeAutomationExit from the workbench). ` +
      `The tests hung, or the extension host never ran them; rerun with ISTIO_MIRROR_E2E_VERBOSE=1 for code-server and browser logs, ` +
      `or raise the limit with --timeout=<ms> / ISTIO_MIRROR_E2E_TIMEOUT_MS.${shot}`);
  })();
}, timeoutMs);
overall.unref();
state.timers.push(overall);

main().catch((e) => finish(1, `ERROR: ${e && e.stack ? e.stack : e}`));
