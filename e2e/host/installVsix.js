#!/usr/bin/env node
'use strict';
/*
 * installVsix.js: install built .vsix files into an extensions dir with code-server, isolated like codeShim.js
 * (own --config, user-data-dir, TMPDIR and XDG_* in a run folder; nothing written to $HOME).
 *
 *   node e2e/host/installVsix.js --extensions-dir=<dir> <file.vsix> [<more.vsix> ...] [--list]
 *
 * Then run the tests against what was installed, without a development extension:
 *   node e2e/host/codeShim.js --extensions-dir=<dir> --extensionTestsPath=<runner.js> [<folder>]
 * (or test-electron runTests(...) with extensionTestsEnv { ISTIO_MIRROR_SHIM_NO_DEV_PATH: '1' } and
 * launchArgs ['--extensions-dir=<dir>', <folder>]).
 *
 * --list prints `code-server --list-extensions --show-versions` for the dir afterwards.
 * Exit code: code-server's (0 on success). Programmatic use: require('./installVsix').installVsix({ vsix, extensionsDir }).
 */

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const lib = require('./lib');

const say = (msg) => process.stderr.write(`[installVsix] ${msg}\n`);

function codeServerCli(run, extensionsDir, cliArgs) {
  const r = spawnSync(process.execPath, [
    lib.CODE_SERVER_ENTRY,
    '--config', run.config,
    '--user-data-dir', path.join(run.dir, 'user-data'),
    '--extensions-dir', extensionsDir,
    ...cliArgs,
  ], { cwd: run.dir, env: lib.codeServerEnv(run), encoding: 'utf8' });
  return r;
}

/**
 * Installs each VSIX into extensionsDir (created if missing). Returns { status, output, listing? }.
 * Throws when code-server cannot be started at all.
 */
function installVsix({ vsix, extensionsDir, list = false }) {
  const files = (Array.isArray(vsix) ? vsix : [vsix]).map((f) => path.resolve(f));
  for (const f of files) if (!fs.existsSync(f)) throw new Error(`no such VSIX: ${f}`);
  lib.ensureInstalled(say);
  const dir = path.resolve(extensionsDir);
  fs.mkdirSync(dir, { recursive: true });
  const run = lib.makeRunDir('vsix');
  try {
    const r = codeServerCli(run, dir, [...files.flatMap((f) => ['--install-extension', f]), '--force']);
    const output = `${r.stdout || ''}${r.stderr || ''}`.split('\n').filter((l) => l.trim()).join('\n');
    if (r.error) throw r.error;
    const result = { status: r.status, output };
    if (list) {
      const l = codeServerCli(run, dir, ['--list-extensions', '--show-versions']);
      result.listing = (l.stdout || '').trim();
    }
    return result;
  } finally {
    if (process.env.ISTIO_MIRROR_E2E_KEEP !== '1') lib.removeDir(run.dir);
  }
}

module.exports = { installVsix };

if (require.main === module) {
  const argv = process.argv.slice(2);
  let extensionsDir;
  let list = false;
  const vsix = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--extensions-dir=')) extensionsDir = a.slice('--extensions-dir='.length);
    else if (a === '--extensions-dir') extensionsDir = argv[++i];
    else if (a === '--list') list = true;
    else if (a === '--help' || a === '-h') { process.stdout.write(fs.readFileSync(__filename, 'utf8').split('*/')[0]); process.exit(0); }
    else if (a.startsWith('--')) { say(`unknown option ${a}`); process.exit(2); }
    else vsix.push(a);
  }
  if (!extensionsDir || !vsix.length) {
    say('usage: node installVsix.js --extensions-dir=<dir> <file.vsix> [...] [--list]');
    process.exit(2);
  }
  const t0 = Date.now();
  try {
    const r = installVsix({ vsix, extensionsDir, list });
    if (r.output) process.stdout.write(`${r.output}\n`);
    if (r.listing !== undefined) process.stdout.write(`installed in ${path.resolve(extensionsDir)}:\n${r.listing || '(none)'}\n`);
    say(`${r.status === 0 ? 'done' : `FAILED (exit ${r.status})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    process.exit(r.status === null ? 1 : r.status);
  } catch (e) {
    say(`ERROR: ${e.message}`);
    process.exit(1);
  }
}
