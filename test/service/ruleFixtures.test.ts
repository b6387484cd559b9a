// Runs every annotated fixture in test/fixtures/rules/ through the language service and
// compares the diagnostics with the annotations: same codes, severities and spans, and the
// annotated message text. See test/helpers/annotatedFixture.ts for the format.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnoseFixture, parseFixture, render } from '../helpers/annotatedFixture';

const folder = join(__dirname, '..', 'fixtures', 'rules');

for (const name of readdirSync(folder).filter((file) => file.endsWith('.yaml')).sort()) {
  test(`rule fixture ${name}`, () => {
    const { files, expectations } = parseFixture(readFileSync(join(folder, name), 'utf8'));
    const actual = diagnoseFixture(files);
    const multiLine = actual.filter((d) => d.endLine !== d.line);
    assert.deepEqual(multiLine.map((d) => `${render(d)} ${d.message}`), [], 'every diagnostic range must sit on one line');
    const rendered = (items: Parameters<typeof render>[0][]): string[] => items.map(render).sort();
    assert.deepEqual(rendered(actual), rendered(expectations), `diagnostics of ${name}:\n${actual.map((d) => `${render(d)} ${d.message}`).join('\n')}`);
    for (const expectation of expectations) {
      if (!expectation.messageIncludes) continue;
      const match = actual.find((d) => render(d) === render(expectation));
      assert.ok(match?.message.includes(expectation.messageIncludes), `${render(expectation)}: message "${match?.message}" should include "${expectation.messageIncludes}"`);
    }
  });
}
