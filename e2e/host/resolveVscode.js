'use strict';
// Picks the VS Code the e2e runner should use, from ISTIO_MIRROR_VSCODE:
//   unset, "" or "shim"  -> code-server through codeShim.js (installs e2e/host on first use via install.sh)
//   "download"           -> let @vscode/test-electron download VS Code (machines with internet access)
//   <path>               -> that desktop VS Code executable (e.g. /usr/bin/code,
//                           "/Applications/Visual Studio Code.app/Contents/MacOS/Electron"); nothing is installed
//
// Usage from a runner:
//   const { resolveVscode } = require('<repo>/e2e/host/resolveVscode.js');
//   const vs = resolveVscode();                   // { kind, vscodeExecutablePath }
//   await runTests({ vscodeExecutablePath: vs.vscodeExecutablePath, extensionDevelopmentPath, extensionTestsPath, launchArgs });
//   // test-cli: useInstallation: vs.vscodeExecutablePath ? { fromPath: vs.vscodeExecutablePath } : undefined

const fs = require('fs');
const path = require('path');

function resolveVscode({ env = process.env, log = (m) => process.stderr.write(`[resolveVscode] ${m}\n`) } = {}) {
  const choice = (env.ISTIO_MIRROR_VSCODE || '').trim();
  if (choice === '' || choice === 'shim') {
    const lib = require('./lib');
    lib.ensureInstalled(log);
    return { kind: 'shim', vscodeExecutablePath: path.join(__dirname, 'codeShim.js') };
  }
  if (choice === 'download') {
    return { kind: 'download', vscodeExecutablePath: undefined };
  }
  const exe = path.resolve(choice);
  if (!fs.existsSync(exe)) {
    throw new Error(`ISTIO_MIRROR_VSCODE=${choice}: no such file (use a VS Code executable, "shim" or "download")`);
  }
  return { kind: 'desktop', vscodeExecutablePath: exe };
}

module.exports = { resolveVscode };
