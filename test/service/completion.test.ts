// Completion tests as data: every fixture in test/fixtures/completion/ (format in
// test/helpers/cursorFixture.ts) is completed at its `$0` marker by the language service.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listOf, loadCursorFixture } from '../helpers/cursorFixture';

const folder = join(__dirname, '..', 'fixtures', 'completion');

for (const name of readdirSync(folder).filter((file) => file.endsWith('.yaml')).sort()) {
  test(`completion ${name}`, () => {
    const fixture = loadCursorFixture(readFileSync(join(folder, name), 'utf8'));
    const items = fixture.service.doComplete(fixture.uri, fixture.position).items;
    const labels = items.map((item) => item.label);
    assert.ok(fixture.expectations.length > 0, 'a fixture must state expectations');
    for (const { key, value } of fixture.expectations) {
      if (key === 'expect-includes') {
        for (const label of listOf(value)) assert.ok(labels.includes(label), `${label} not offered; got ${JSON.stringify(labels)}`);
      } else if (key === 'expect-excludes') {
        for (const label of listOf(value)) assert.ok(!labels.includes(label), `${label} must not be offered`);
      } else if (key === 'expect-none') {
        assert.deepEqual(labels, []);
      } else if (key.startsWith('expect-text ')) {
        const label = key.slice('expect-text '.length);
        const item = items.find((candidate) => candidate.label === label);
        assert.ok(item, `${label} not offered`);
        const inserted = item.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : item.insertText;
        assert.equal(inserted, value.replace(/\\n/g, '\n'));
      } else {
        assert.fail(`unknown expectation ${key}`);
      }
    }
  });
}
