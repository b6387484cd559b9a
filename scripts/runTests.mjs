// `npm test`: builds, type-checks, then runs every test file under test/ with Node's test
// runner (TypeScript through tsx). Exits non-zero when any step or any test fails.
// Usage: node scripts/runTests.mjs [substring…]   (only test files whose path contains one)

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const filters = process.argv.slice(2);

function step(name, command, args) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${name} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
  console.log(`${name}: ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' || entry.name === 'e2e' ? [] : findTests(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

step('build', process.execPath, [join(root, 'scripts/build.mjs'), '--quiet']);
step('typecheck', process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']);
const files = findTests(join(root, 'test'))
  .map((file) => relative(root, file))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
// With no files `node --test` would search the tree itself (and find the e2e bundles in out/).
if (files.length > 0) step(`unit, server, CLI and conformance tests (${files.length} files)`, process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files]);
// Last, the end-to-end suite inside a real VS Code (scripts/e2e.mjs); `node scripts/runTests.mjs e2e`
// runs it alone. Its first run installs the e2e host (code-server + headless Chromium,
// e2e/host/install.sh): about 1–2 min, once.
if (filters.length === 0 || filters.includes('e2e')) {
  console.log('\nend-to-end tests in a real VS Code: the first run installs code-server 4.100.3 and Chromium (about 1–2 min, once)');
  step('end-to-end tests (VS Code 1.100.3 via code-server: development extension, then the installed .vsix)', process.execPath, [join(root, 'scripts/e2e.mjs')]);
}
