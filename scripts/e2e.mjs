// End-to-end tests in a real VS Code: builds, bundles the mocha suites of test/e2e/ into
// out/e2e/, packages the .vsix (and checks its file list), then runs
//   1. the suite against the development extension (this repository), and
//   2. the `vsix` suite against the .vsix installed into a fresh extensions dir,
// both on a fresh copy of test/e2e/workspace/. Exits non-zero when anything fails.
//
// The VS Code comes from e2e/host/resolveVscode.js: code-server 4.100.3 driven by headless
// Chromium (installed by e2e/host/install.sh on first use, about 1–2 min), or a desktop VS Code
// named by ISTIO_MIRROR_VSCODE=<path to the executable>.
//
// Usage: node scripts/e2e.mjs [--skip-vsix] [--grep=<test title pattern>] [--measure]
//   --measure runs only test/e2e/measure/ (keystroke to screen with the preview, docs/performance.md).

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { shippedPageProblems, vsixEntries } from './extensionPage.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { downloadAndUnzipVSCode, runTests, resolveCliPathFromVSCodeExecutablePath } = require('@vscode/test-electron');
const { resolveVscode } = require('../e2e/host/resolveVscode.js');

const args = process.argv.slice(2);
// --measure: only the keystroke-to-screen measurement (test/e2e/measure/), development extension.
const measure = args.includes('--measure');
const skipVsix = args.includes('--skip-vsix') || measure;
const grep = args.find((arg) => arg.startsWith('--grep='))?.slice('--grep='.length);
export const vsixPath = join(root, 'dist', 'istio-mirror.vsix');
const stateDir = process.env.ISTIO_MIRROR_E2E_DIR ?? join(root, '.e2e');

const seconds = (started) => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (message) => console.log(`[e2e] ${message}`);

function run(name, command, commandArgs) {
  const started = Date.now();
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${name} failed (exit ${result.status ?? result.signal})`);
  log(`${name}: ok (${seconds(started)})`);
}

/** Bundles test/e2e/index.ts and every suite file; `vscode` and `mocha` come from the host. */
export async function bundleTests() {
  const started = Date.now();
  const suites = ['suite', 'vsix', 'screenshots', 'measure'].flatMap((folder) => {
    const dir = join(root, 'test/e2e', folder);
    return existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith('.test.ts')).map((file) => join(dir, file)) : [];
  });
  rmSync(join(root, 'out/e2e'), { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [join(root, 'test/e2e/index.ts'), ...suites],
    outdir: join(root, 'out/e2e'),
    outbase: join(root, 'test/e2e'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  log(`bundle e2e tests (${suites.length} files): ok (${seconds(started)})`);
}

/** The pictures of the Getting Started walkthrough's steps (package.json). */
function walkthroughImages() {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return (manifest.contributes.walkthroughs ?? []).flatMap((walkthrough) => walkthrough.steps.map((step) => step.media?.image)).filter((image) => typeof image === 'string');
}

/** The files the .vsix must hold, exactly: the bundles, the snippets and the documents. */
function expectedVsixFiles() {
  const optional = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'CHANGELOG.md'].filter((file) => existsSync(join(root, file)));
  return ['package.json', 'dist/extension-page.md', 'images/icon.png', 'walkthrough/example-with-a-mistake.yaml', ...walkthroughImages(), 'dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/media/trafficSplitView.js', 'dist/media/trafficSplitView.css', 'dist/media/mirrorMonitorView.js', 'dist/media/mirrorMonitorView.css', 'snippets/istio-mirror.json', 'docs/rules.md', ...optional].sort();
}

function checkVsixFiles() {
  const vsce = join(root, 'node_modules/@vscode/vsce/vsce');
  const listed = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies', '--readme-path', 'dist/extension-page.md'], { cwd: root, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`vsce ls failed:\n${listed.stderr}`);
  const files = listed.stdout.split('\n').map((line) => line.trim()).filter(Boolean).sort();
  const expected = expectedVsixFiles();
  const extra = files.filter((file) => !expected.includes(file));
  const missing = expected.filter((file) => !files.includes(file));
  if (extra.length || missing.length) {
    throw new Error(`the .vsix file list is wrong (fix .vscodeignore):${extra.length ? `\n  not needed: ${extra.join(', ')}` : ''}${missing.length ? `\n  missing: ${missing.join(', ')}` : ''}`);
  }
  log(`vsix contents (${files.length} files): ${files.join(', ')}; ${(statSync(vsixPath).size / 1024).toFixed(0)} KB packed`);
}

export async function packageVsix() {
  run('package the .vsix (npm run package)', process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'package']);
  checkVsixFiles();
  // The extension's page: every picture of its README is inside the .vsix (scripts/extensionPage.mjs).
  const problems = shippedPageProblems(await vsixEntries(vsixPath));
  if (problems.length > 0) throw new Error(`the README in the .vsix is wrong:\n  ${problems.join('\n  ')}`);
  log('vsix README: every picture of docs/extension-page.md is inside the .vsix');
}

/** A fresh copy of the fixture workspace: the tests edit and create files in it. */
export function freshWorkspace(runDir) {
  const workspace = join(runDir, 'workspace');
  cpSync(join(root, 'test/e2e/workspace'), workspace, { recursive: true });
  return workspace;
}

/** The VS Code to run: the shim (installing code-server on first use) or a desktop build. */
export async function resolveHost() {
  const choice = (process.env.ISTIO_MIRROR_VSCODE ?? '').trim();
  if (choice === '' || choice === 'shim') {
    const lib = require('../e2e/host/lib.js');
    if (!lib.isInstalled()) {
      log('first run: installing the e2e host (code-server 4.100.3 = VS Code 1.100.3, headless Chromium from apt) into e2e/host/node_modules; this takes about 1–2 min once');
    }
  }
  const started = Date.now();
  const host = resolveVscode();
  // Downloaded once up front, so the .vsix can be installed with that build's own CLI.
  if (host.kind === 'download') host.vscodeExecutablePath = await downloadAndUnzipVSCode();
  log(`VS Code: ${host.kind}${host.vscodeExecutablePath ? ` (${relative(root, host.vscodeExecutablePath) || host.vscodeExecutablePath})` : ''}, ready in ${seconds(started)}`);
  return host;
}

async function runSuite(name, options) {
  const started = Date.now();
  log(`${name}: starting`);
  try {
    await runTests(options);
  } catch (error) {
    throw new Error(`${name} failed (${error instanceof Error ? error.message : error}) after ${seconds(started)}`);
  }
  log(`${name}: passed in ${seconds(started)}`);
}

/** Installs the .vsix into `extensionsDir`; a desktop VS Code gets it through its own CLI. */
function installVsix(host, extensionsDir) {
  const started = Date.now();
  if (host.kind === 'shim') {
    const { installVsix: install } = require('../e2e/host/installVsix.js');
    const result = install({ vsix: vsixPath, extensionsDir, list: true });
    if (result.status !== 0) throw new Error(`installing the .vsix failed:\n${result.output}`);
    log(`installed the .vsix into a fresh extensions dir: ${result.listing} (${seconds(started)})`);
    return;
  }
  // The CLI next to the executable; a launcher such as /usr/bin/code is its own CLI.
  const cli = [resolveCliPathFromVSCodeExecutablePath(host.vscodeExecutablePath)].find((path) => existsSync(path)) ?? host.vscodeExecutablePath;
  const userData = join(extensionsDir, '..', 'vsix-install-user-data');
  const result = spawnSync(cli, [`--extensions-dir=${extensionsDir}`, `--user-data-dir=${userData}`, '--install-extension', vsixPath, '--force'], { encoding: 'utf8', shell: process.platform === 'win32' });
  if (result.status !== 0) throw new Error(`installing the .vsix failed:\n${result.stdout}${result.stderr}`);
  log(`installed the .vsix into a fresh extensions dir (${seconds(started)})`);
}

/**
 * test-electron always passes a development extension. The shim drops it when asked
 * (ISTIO_MIRROR_SHIM_NO_DEV_PATH) and loads an inert stub; a desktop VS Code gets such a stub.
 */
function stubDevelopmentExtension(runDir) {
  const dir = join(runDir, 'test-runner-stub');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'test-runner-stub', publisher: 'istio-mirror-e2e', version: '0.0.0', engines: { vscode: '*' } }, null, 2));
  return dir;
}

async function main() {
  const started = Date.now();
  run('build', process.execPath, [join(root, 'scripts/build.mjs'), '--quiet']);
  await bundleTests();
  if (!skipVsix) await packageVsix();
  const host = await resolveHost();

  mkdirSync(stateDir, { recursive: true });
  const runDir = mkdtempSync(join(stateDir, 'e2e-'));
  const testsPath = join(root, 'out/e2e/index.js');
  const env = grep ? { ISTIO_MIRROR_E2E_GREP: grep } : {};
  try {
    const devExtensions = join(runDir, 'dev-extensions');
    mkdirSync(devExtensions);
    await runSuite('e2e suite (development extension)', {
      vscodeExecutablePath: host.vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath: testsPath,
      launchArgs: [freshWorkspace(join(runDir, 'dev')), `--user-data-dir=${join(runDir, 'dev-user-data')}`, `--extensions-dir=${devExtensions}`, '--disable-extensions'],
      extensionTestsEnv: { ...env, ISTIO_MIRROR_E2E_SUITE: measure ? 'measure' : 'suite' },
    });

    if (!skipVsix) {
      const vsixExtensions = join(runDir, 'vsix-extensions');
      installVsix(host, vsixExtensions);
      await runSuite('e2e vsix suite (installed .vsix)', {
        vscodeExecutablePath: host.vscodeExecutablePath,
        extensionDevelopmentPath: host.kind === 'shim' ? root : stubDevelopmentExtension(runDir),
        extensionTestsPath: testsPath,
        launchArgs: [freshWorkspace(join(runDir, 'vsix')), `--user-data-dir=${join(runDir, 'vsix-user-data')}`, `--extensions-dir=${vsixExtensions}`],
        extensionTestsEnv: { ...env, ISTIO_MIRROR_E2E_SUITE: 'vsix', ISTIO_MIRROR_SHIM_NO_DEV_PATH: '1', ISTIO_MIRROR_E2E_EXTENSIONS_DIR: vsixExtensions },
      });
    }
  } finally {
    if (process.env.ISTIO_MIRROR_E2E_KEEP === '1') log(`run folder kept: ${runDir}`);
    else rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  }
  log(`all end-to-end runs passed in ${seconds(started)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(`[e2e] ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
