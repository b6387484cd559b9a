// Regenerates docs/screenshots/*.png, the README's pictures, from the real VS Code the e2e
// tests use (code-server through e2e/host/codeShim.js): builds, bundles test/e2e/, and runs the
// `screenshots` suite on a fresh copy of the fixture workspace with a presentation-friendly
// settings.json; the suite asks the shim for each picture (e2e/host/screenshot.js).
//
// Usage: node scripts/screenshots.mjs     (npm run screenshots)

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleTests, freshWorkspace, resolveHost } from './e2e.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { runTests } = require('@vscode/test-electron');
const outDir = join(root, 'docs/screenshots');

/** Larger text and less chrome than the defaults: the pictures are shown scaled down. */
const presentationSettings = {
  'editor.fontSize': 17,
  'editor.lineHeight': 25,
  'editor.minimap.enabled': false,
  'editor.stickyScroll.enabled': false,
  'breadcrumbs.enabled': false,
  'workbench.editor.showTabs': 'single',
  'workbench.tips.enabled': false,
  'editor.suggest.showStatusBar': false,
  'editor.lightbulb.enabled': 'on',
  'problems.showCurrentInStatus': true,
  'files.exclude': { '.vscode': true },
};

if (process.env.ISTIO_MIRROR_VSCODE && process.env.ISTIO_MIRROR_VSCODE !== 'shim') {
  console.error('[screenshots] only the code-server shim can take screenshots; unset ISTIO_MIRROR_VSCODE');
  process.exit(2);
}

const started = Date.now();
const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
await bundleTests();
const host = await resolveHost();

const stateDir = process.env.ISTIO_MIRROR_E2E_DIR ?? join(root, '.e2e');
mkdirSync(stateDir, { recursive: true });
const runDir = mkdtempSync(join(stateDir, 'shots-'));
const workspace = freshWorkspace(runDir);
mkdirSync(join(workspace, '.vscode'));
writeFileSync(join(workspace, '.vscode/settings.json'), `${JSON.stringify(presentationSettings, null, 2)}\n`);
mkdirSync(outDir, { recursive: true });
// Pictures are overwritten by name; docs/screenshots/traffic-split.png comes from the webview
// page test (test/webview/) and is left alone.

let failed = false;
try {
  const extensions = join(runDir, 'extensions');
  mkdirSync(extensions);
  await runTests({
    vscodeExecutablePath: host.vscodeExecutablePath,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out/e2e/index.js'),
    launchArgs: [workspace, `--user-data-dir=${join(runDir, 'user-data')}`, `--extensions-dir=${extensions}`],
    extensionTestsEnv: { ISTIO_MIRROR_E2E_SUITE: 'screenshots', ISTIO_MIRROR_SCREENSHOT_DIR: outDir },
  });
} catch (error) {
  failed = true;
  console.error(`[screenshots] failed: ${error instanceof Error ? error.message : error}`);
} finally {
  rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
}
const pictures = readdirSync(outDir).filter((name) => name.endsWith('.png')).sort();
for (const name of pictures) console.log(`[screenshots] docs/screenshots/${name} (${(statSync(join(outDir, name)).size / 1024).toFixed(0)} KB)`);
console.log(`[screenshots] ${pictures.length} pictures in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed || pictures.length === 0 ? 1 : 0);
