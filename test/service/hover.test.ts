// Hover tests as data: every fixture in test/fixtures/hover/ (format in
// test/helpers/cursorFixture.ts) is hovered at its `$0` marker.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCursorFixture } from '../helpers/cursorFixture';

const folder = join(__dirname, '..', 'fixtures', 'hover');

for (const name of readdirSync(folder).filter((file) => file.endsWith('.yaml')).sort()) {
  test(`hover ${name}`, () => {
    const fixture = loadCursorFixture(readFileSync(join(folder, name), 'utf8'));
    const hover = fixture.service.doHover(fixture.uri, fixture.position);
    assert.ok(fixture.expectations.length > 0, 'a fixture must state expectations');
    for (const { key, value } of fixture.expectations) {
      if (key === 'expect-none') {
        assert.equal(hover, null);
        continue;
      }
      assert.ok(key === 'expect-hover' || key === 'expect-hover-excludes' || key === 'expect-exactly', `unknown expectation ${key}`);
      assert.ok(hover, 'no hover');
      const text = typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : JSON.stringify(hover.contents);
      if (key === 'expect-exactly') assert.equal(text, value);
      else if (key === 'expect-hover') assert.ok(text.includes(value), `hover should contain ${JSON.stringify(value)}; got:\n${text}`);
      else assert.ok(!text.includes(value), `hover must not contain ${JSON.stringify(value)}; got:\n${text}`);
    }
  });
}
