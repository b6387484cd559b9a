// Architecture invariant: the language service core (server/src/service) knows nothing of
// LSP transport, VS Code or Node IO. It may use only the packages listed here; everything
// else reaches it through its callers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// cel-js (CEL) and re2js (RE2) evaluate the Gateway API CRDs' rules; both are plain computation.
const allowedPackages = new Set(['yaml', 'ajv', 'vscode-languageserver-types', 'vscode-languageserver-textdocument', '@marcbachmann/cel-js', 're2js']);
const core = join(__dirname, '..', '..', 'server', 'src', 'service');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|js)$/.test(entry.name) ? [path] : [];
  });
}

test('server/src/service imports no transport, editor API or Node IO', () => {
  const violations: string[] = [];
  for (const file of sources(core)) {
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((match) => match[1]);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) {
        // Relative imports must stay inside the core, except the schema data in schemas/.
        const target = join(file, '..', specifier);
        if (!target.startsWith(core) && !/\/schemas\/[\w.]+\.schema\.json$/.test(target)) violations.push(`${relative(core, file)}: ${specifier}`);
        continue;
      }
      const packageName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
      if (!allowedPackages.has(packageName)) violations.push(`${relative(core, file)}: ${specifier}`);
    }
  }
  assert.deepEqual(violations, []);
});
