// Draws the extension's icon, images/icon.png (256×256 RGBA), with no dependencies: a blue
// rounded square holding a white arrow (the traffic a route sends) above a thin mirror line and
// its reflection, fainter and dashed (the copies a mirror gets, whose responses are discarded).
// Each pixel is the average of 4×4 samples (anti-aliased edges); the PNG is written by hand
// (zlib for the IDAT stream). Usage: node scripts/drawIcon.mjs [out.png]

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ?? join(root, 'images', 'icon.png');
const size = 256;
const samples = 4;

const mirrorY = 132; // the mirror line's centre; the reflection of y is 2 * mirrorY - y

function insideRoundedSquare(x, y) {
  const radius = 44;
  const cx = Math.min(Math.max(x, radius), size - radius);
  const cy = Math.min(Math.max(y, radius), size - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** The arrow above the line: a shaft from x 44 to 160 and a head whose tip is at x 212. */
function insideArrow(x, y, dashed) {
  const centre = 88;
  const half = 13;
  if (x >= 44 && x <= 160 && Math.abs(y - centre) <= half) {
    // Dashes of 22 with gaps of 12, starting with a dash at the shaft's start.
    return !dashed || (x - 44) % 34 < 22;
  }
  // Head: the triangle (152, centre - 38), (212, centre), (152, centre + 38).
  if (x < 152 || x > 212) return false;
  return Math.abs(y - centre) <= (38 * (212 - x)) / 60;
}

function insideMirrorLine(x, y) {
  return x >= 36 && x <= 220 && Math.abs(y - mirrorY) <= 2.5;
}

const mix = (a, b, t) => a + (b - a) * t;

/** Colour of one sample, premultiplied [r, g, b, a] in 0–1. */
function sample(x, y) {
  if (!insideRoundedSquare(x, y)) return [0, 0, 0, 0];
  // Background: a vertical gradient from a bright to a deep blue.
  const t = y / size;
  let colour = [mix(0x1e, 0x0b, t) / 255, mix(0x6f, 0x2a, t) / 255, mix(0xd6, 0x5c, t) / 255];
  const over = (rgb, alpha) => { colour = colour.map((c, i) => mix(c, rgb[i], alpha)); };
  if (insideMirrorLine(x, y)) over([0.74, 0.87, 1], 0.7);
  if (insideArrow(x, y, false)) over([1, 1, 1], 1);
  if (insideArrow(x, 2 * mirrorY - y, true)) over([0.62, 0.83, 1], 0.6);
  return [...colour, 1];
}

const pixels = Buffer.alloc(size * size * 4);
for (let py = 0; py < size; py++) {
  for (let px = 0; px < size; px++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < samples; sy++) {
      for (let sx = 0; sx < samples; sx++) {
        const [r, g, b, a] = sample(px + (sx + 0.5) / samples, py + (sy + 0.5) / samples);
        sum[0] += r * a; sum[1] += g * a; sum[2] += b * a; sum[3] += a;
      }
    }
    const alpha = sum[3] / (samples * samples);
    const offset = (py * size + px) * 4;
    for (let i = 0; i < 3; i++) pixels[offset + i] = alpha > 0 ? Math.round((sum[i] / sum[3]) * 255) : 0;
    pixels[offset + 3] = Math.round(alpha * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
// Each row starts with filter type 0 (none).
const raw = Buffer.alloc(size * (size * 4 + 1));
for (let y = 0; y < size; y++) pixels.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, png);
console.log(`${out}: ${size}×${size}, ${png.length} bytes`);
