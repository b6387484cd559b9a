// The extension's page in VS Code (issue 11, item 11): the README the .vsix ships is
// docs/extension-page.md with each picture inlined as a data: URI (the installed extension's page
// shows https: and data: images only; a relative link shows nothing), and the icon is a real PNG.
// The .vsix itself is checked by scripts/e2e.mjs (shippedPageProblems after `npm run package`)
// and drawn in a real VS Code by test/e2e/vsix/installed.test.ts.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { dataUriBytes, imageReferences, inlineImages, pageSource, pngSize } from '../../scripts/extensionPage.mjs';

const root = join(__dirname, '..', '..');

test('every picture of docs/extension-page.md is inlined, byte for byte, as a PNG data: URI', () => {
  const source = readFileSync(pageSource, 'utf8');
  const images = imageReferences(source);
  assert.ok(images.length >= 5, `the page has pictures (${images.length})`);
  const page = inlineImages(source, dirname(pageSource));
  const shipped = imageReferences(page);
  assert.equal(shipped.length, images.length);
  shipped.forEach((image, i) => {
    assert.equal(image.alt, images[i]!.alt);
    assert.ok(image.alt.length > 10, `${images[i]!.src} has alt text`);
    const data = dataUriBytes(image.src);
    assert.ok(data, `${images[i]!.src} is inlined`);
    assert.equal(data.mimeType, 'image/png');
    assert.deepEqual(data.bytes, readFileSync(join(dirname(pageSource), images[i]!.src)));
    assert.ok(pngSize(data.bytes)!.width >= 400, `${images[i]!.src} is a picture`);
  });
  // The text around the pictures is unchanged; the page is for users.
  assert.equal(page.replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, 'X'), source.replace(/\]\((screenshots\/[\w-]+\.png)\)/g, '](X)'));
  assert.doesNotMatch(source, /npm (ci|test|run)|node scripts\//);
});

test('a missing picture, an SVG or an http: picture stops the build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'extension-page-'));
  writeFileSync(join(dir, 'there.png'), readFileSync(join(root, 'images', 'icon.png')));
  assert.match(inlineImages('![ok](there.png)', dir), /^!\[ok\]\(data:image\/png;base64,iVBORw0KGgo/);
  assert.throws(() => inlineImages('![a](there.png) ![b](missing.png)', dir), /missing\.png: the image is missing/);
  assert.throws(() => inlineImages('<img src="missing.png" alt="b">', dir), /missing\.png: the image is missing/);
  assert.throws(() => inlineImages('![a](logo.svg)', dir), /must be a PNG, JPEG or GIF/);
  assert.throws(() => inlineImages('![a](http://example.com/a.png)', dir), /https: and data: images only/);
  assert.equal(inlineImages('![a](https://example.com/a.png)', dir), '![a](https://example.com/a.png)');
});

test('the icon is images/icon.png, 256×256, drawn by scripts/drawIcon.mjs', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { icon: string };
  assert.equal(manifest.icon, 'images/icon.png');
  const icon = readFileSync(join(root, manifest.icon));
  assert.deepEqual(pngSize(icon), { width: 256, height: 256 });
  const out = join(mkdtempSync(join(tmpdir(), 'icon-')), 'icon.png');
  const drawn = spawnSync(process.execPath, [join(root, 'scripts', 'drawIcon.mjs'), out], { encoding: 'utf8' });
  assert.equal(drawn.status, 0, drawn.stderr);
  assert.deepEqual(readFileSync(out), icon, 'the committed icon is what the script draws');
});
