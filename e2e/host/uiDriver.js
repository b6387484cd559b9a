'use strict';
// Client side of codeShim.js's UI protocol, for code running in the extension host (e2e tests): type,
// press keys and read what the workbench shows, as a user would. No dependencies; require it by path.
//
//   const ui = require('<repo>/e2e/host/uiDriver.js');
//   if (!ui.available()) ...                     // not under the shim (e.g. a desktop VS Code)
//   await ui.run([{ type: '25' }, { press: 'Enter' }]);
//   const [rows] = await ui.run([{ texts: '.quick-input-list .monaco-list-row' }]);
// Protocol: write <dir>/<id>.ui.json = {"steps":[…]}; the shim answers <dir>/<id>.result.json.
// <dir> = $ISTIO_MIRROR_UI_DIR. The steps are listed in codeShim.js's header.

const fs = require('fs');
const path = require('path');

let counter = 0;

function available() {
  return !!process.env.ISTIO_MIRROR_UI_DIR;
}

/** Runs the steps in order; resolves with one result per step (null for actions). */
async function run(steps, { timeoutMs = 90000 } = {}) {
  const dir = process.env.ISTIO_MIRROR_UI_DIR;
  if (!dir) throw new Error('ISTIO_MIRROR_UI_DIR is not set: UI steps need the code-server shim (e2e/host/codeShim.js)');
  const id = `${process.pid}-${Date.now()}-${counter++}`;
  const request = path.join(dir, `${id}.ui.json`);
  const result = path.join(dir, `${id}.result.json`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(`${request}.tmp`, JSON.stringify({ steps }));
  fs.renameSync(`${request}.tmp`, request);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(result)) {
      const answer = JSON.parse(fs.readFileSync(result, 'utf8'));
      fs.rmSync(result, { force: true });
      if (!answer.ok) throw new Error(`UI steps ${JSON.stringify(steps)} failed: ${answer.error}`);
      return answer.results;
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  throw new Error(`UI steps: no answer from codeShim within ${timeoutMs} ms`);
}

module.exports = { available, run };
