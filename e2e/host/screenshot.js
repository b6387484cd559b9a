'use strict';
// Client side of codeShim.js's screenshot protocol, for code running in the extension host (e2e tests).
// No dependencies; require it by path:  const { requestScreenshot } = require('<repo>/e2e/host/screenshot.js');
//
//   const png = await requestScreenshot('after-open');   // -> '<dir>/after-open.png', or undefined when
//                                                         //    the shim was started without a screenshot dir
// Protocol: create <dir>/<name>.request; the shim writes <dir>/<name>.png (whole workbench, 1400x900)
// and deletes the request (or writes <dir>/<name>.error). <dir> = $ISTIO_MIRROR_SCREENSHOT_DIR.

const fs = require('fs');
const path = require('path');

function screenshotDir() {
  return process.env.ISTIO_MIRROR_SCREENSHOT_DIR || undefined;
}

/**
 * Asks the shim for a screenshot and waits for it. Resolves with the PNG path, or undefined when no
 * screenshot dir is configured (e.g. when running in a desktop VS Code), so tests can call it unconditionally.
 */
async function requestScreenshot(name, { timeoutMs = 30000 } = {}) {
  const dir = screenshotDir();
  if (!dir) return undefined;
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`bad screenshot name ${JSON.stringify(name)}`);
  const req = path.join(dir, `${name}.request`);
  const png = path.join(dir, `${name}.png`);
  const err = path.join(dir, `${name}.error`);
  fs.mkdirSync(dir, { recursive: true });
  fs.rmSync(png, { force: true });
  fs.rmSync(err, { force: true });
  fs.writeFileSync(req, `${new Date().toISOString()}\n`);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!fs.existsSync(req)) {
      if (fs.existsSync(png)) return png;
      if (fs.existsSync(err)) throw new Error(`screenshot ${name} failed: ${fs.readFileSync(err, 'utf8').trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`screenshot ${name}: no answer from codeShim within ${timeoutMs} ms (is the shim watching ${dir}?)`);
}

module.exports = { requestScreenshot, screenshotDir };
