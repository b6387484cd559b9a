// The extension's page in VS Code (the Details tab of the Extensions view): docs/extension-page.md,
// written for users, becomes the .vsix's README (`vsce package --readme-path dist/extension-page.md`).
//
// VS Code reads an installed extension's README from its folder and shows it in a webview whose
// Content-Security-Policy is `img-src https: data:`, with no base URL: a relative image link such
// as `screenshots/preview.png` resolves to nothing there, whether or not the file is in the .vsix.
// (vsce's default rewrites such links to the repository's https URLs, which needs a repository and
// the network.) So each relative image of the page is inlined as a data: URI, and the pictures
// display from the installed .vsix alone, offline.
//
// Usage: node scripts/extensionPage.mjs   (scripts/build.mjs calls writeExtensionPage() too)

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const pageSource = join(root, 'docs', 'extension-page.md');
export const pageOutput = join(root, 'dist', 'extension-page.md');

const mimeTypes = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };

/** Every image of a Markdown text: `![alt](src "title")` and `<img src="…">`, in order. */
export function imageReferences(markdown) {
  const found = [];
  for (const match of markdown.matchAll(/!\[([^\]]*)\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    found.push({ alt: match[1], src: match[2], start: match.index, end: match.index + match[0].length, text: match[0] });
  }
  for (const match of markdown.matchAll(/<img\b[^>]*\bsrc=["']([^"']+)["'][^>]*>/gi)) {
    found.push({ alt: /\balt=["']([^"']*)["']/i.exec(match[0])?.[1] ?? '', src: match[1], start: match.index, end: match.index + match[0].length, text: match[0] });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Width and height of a PNG, or undefined when the bytes are not one. */
export function pngSize(bytes) {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((byte, i) => bytes[i] !== byte)) return undefined;
  if (bytes.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The bytes a data: URI holds, or undefined when `src` is not a base64 data: URI. */
export function dataUriBytes(src) {
  const match = /^data:([\w/+.-]+);base64,([A-Za-z0-9+/=]+)$/.exec(src);
  return match ? { mimeType: match[1], bytes: Buffer.from(match[2], 'base64') } : undefined;
}

const isRelative = (src) => !/^[a-z][a-z0-9+.-]*:/i.test(src) && !src.startsWith('#') && !src.startsWith('/');

/**
 * The page with every relative image (resolved against `baseDir`) inlined as a data: URI.
 * Throws when an image is missing, is not a PNG/JPEG/GIF, or is an http: link (blocked by the page's CSP).
 */
export function inlineImages(markdown, baseDir) {
  let out = '';
  let last = 0;
  for (const image of imageReferences(markdown)) {
    if (image.src.startsWith('http:')) throw new Error(`${image.src}: the extension page shows https: and data: images only`);
    if (!isRelative(image.src)) continue;
    const file = resolve(baseDir, decodeURI(image.src));
    const mimeType = mimeTypes[extname(file).toLowerCase()];
    if (!mimeType) throw new Error(`${image.src}: an image of the extension page must be a PNG, JPEG or GIF (vsce refuses SVG)`);
    let bytes;
    try {
      bytes = readFileSync(file);
    } catch {
      throw new Error(`${image.src}: the image is missing (${file})`);
    }
    if (mimeType === 'image/png' && !pngSize(bytes)) throw new Error(`${image.src}: not a PNG`);
    out += markdown.slice(last, image.start) + image.text.replace(image.src, `data:${mimeType};base64,${bytes.toString('base64')}`);
    last = image.end;
  }
  return out + markdown.slice(last);
}

/** Writes dist/extension-page.md from docs/extension-page.md. */
export function writeExtensionPage() {
  const page = inlineImages(readFileSync(pageSource, 'utf8'), dirname(pageSource));
  mkdirSync(dirname(pageOutput), { recursive: true });
  writeFileSync(pageOutput, page);
  return page;
}

/** Every file of a .vsix (a zip) by its path, e.g. `extension/readme.md`. */
export async function vsixEntries(vsixPath) {
  // yauzl comes with @vscode/vsce, which packages the .vsix.
  const yauzl = createRequire(import.meta.url)('yauzl');
  const zip = await new Promise((done, fail) => yauzl.fromBuffer(readFileSync(vsixPath), { lazyEntries: true }, (error, file) => (error ? fail(error) : done(file))));
  const entries = new Map();
  await new Promise((done, fail) => {
    zip.on('error', fail);
    zip.on('end', done);
    zip.on('entry', (entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return fail(error);
        const chunks = [];
        stream.on('data', (chunk) => chunks.push(chunk));
        stream.on('error', fail);
        stream.on('end', () => { entries.set(entry.fileName, Buffer.concat(chunks)); zip.readEntry(); });
      });
    });
    zip.readEntry();
  });
  return entries;
}

/**
 * What is wrong with the README the .vsix ships, as messages (none when it is right): each image
 * of docs/extension-page.md must be in it, and each image it references must be inside the .vsix
 * (a data: URI holding a PNG of the same bytes as the source picture): a relative link displays
 * nothing on the installed extension's page, and an https: one needs the network.
 */
export function shippedPageProblems(entries) {
  const readme = entries.get('extension/readme.md');
  if (!readme) return ['the .vsix has no extension/readme.md'];
  const problems = [];
  const shipped = imageReferences(readme.toString('utf8'));
  const sources = imageReferences(readFileSync(pageSource, 'utf8'));
  if (shipped.length !== sources.length) problems.push(`docs/extension-page.md has ${sources.length} images, the shipped README ${shipped.length}`);
  shipped.forEach((image, i) => {
    const name = sources[i]?.src ?? image.alt;
    const data = dataUriBytes(image.src);
    if (!data) {
      const inVsix = entries.has(`extension/${image.src.replace(/^\.\//, '')}`);
      problems.push(`${image.src.slice(0, 80)}: ${inVsix ? 'a file of the .vsix, which the installed extension\'s page cannot show (img-src https: data:)' : 'not in the .vsix'}`);
      return;
    }
    if (data.mimeType === 'image/png' && !pngSize(data.bytes)) problems.push(`${name}: the data: URI is not a PNG`);
    if (sources[i] && isRelative(sources[i].src)) {
      let source;
      try { source = readFileSync(resolve(dirname(pageSource), decodeURI(sources[i].src))); } catch { problems.push(`${name}: missing from the repository`); return; }
      if (!source.equals(data.bytes)) problems.push(`${name}: the shipped picture is not the repository's (package again)`);
    }
  });
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const page = writeExtensionPage();
  console.log(`${pageOutput}: ${imageReferences(page).length} images inlined, ${(page.length / 1024).toFixed(0)} KB`);
}
