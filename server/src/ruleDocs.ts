// Where the language server finds docs/rules.md, the explanation of every code that its
// diagnostics link to: next to the bundle (dist/server.js → docs/rules.md, as the .vsix and
// the npm package ship it), or in the repository when run from source.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function findRuleDocs(): string | undefined {
  for (const candidate of [join(__dirname, '..', 'docs', 'rules.md'), join(__dirname, '..', '..', 'docs', 'rules.md')]) {
    if (existsSync(candidate)) return pathToFileURL(candidate).toString();
  }
  return undefined;
}
