// The test runner VS Code loads as `extensionTestsPath`: runs the mocha (tdd) suite named by
// ISTIO_MIRROR_E2E_SUITE (`suite`: the development extension; `vsix`: the installed .vsix;
// `screenshots`: the README pictures) from the bundles scripts/e2e.mjs wrote next to this file.

import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const name = process.env.ISTIO_MIRROR_E2E_SUITE ?? 'suite';
  const folder = path.join(__dirname, name);
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120000, reporter: 'spec' });
  const grep = process.env.ISTIO_MIRROR_E2E_GREP;
  if (grep) mocha.grep(grep);
  for (const file of fs.readdirSync(folder).filter((entry) => entry.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(folder, file));
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} end-to-end test(s) failed`);
}
