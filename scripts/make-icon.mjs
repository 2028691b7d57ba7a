// Draws media/icon.png (128×128, the Marketplace icon): a warm rounded square with a white
// "hot path" — a polyline climbing like a cost curve — ending in a dot. No dependencies: shapes are
// signed-distance functions sampled 4×4 per pixel, written as an RGBA PNG with node:zlib.
// Run: node scripts/make-icon.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 128, SS = 4;
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'media', 'icon.png');

const roundedRect = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r, qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const segment = (x, y, ax, ay, bx, by) => {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * t, py - dy * t);
};
// The path: flat, flat, then steep (a quadratic hot spot), in 128-px coordinates.
const PATH = [[26, 96], [48, 90], [66, 80], [82, 62], [94, 38]];
const pathDist = (x, y) => Math.min(...PATH.slice(1).map((p, i) => segment(x, y, ...PATH[i], ...p)));

function shade(x, y) {
  // Returns [r, g, b, a] in 0..1 for one sample.
  if (roundedRect(x, y, 64, 64, 60, 60, 22) > 0) return [0, 0, 0, 0];
  const t = (x + (SIZE - y)) / (2 * SIZE); // diagonal gradient: deep red bottom-left → amber top-right
  let c = [0.78 + 0.2 * t, 0.16 + 0.45 * t, 0.10 + 0.05 * t];
  if (pathDist(x, y) < 7.5 || Math.hypot(x - 94, y - 38) < 12) c = [1, 1, 1];
  // Faint baseline grid (the chart's axes).
  else if (segment(x, y, 22, 104, 106, 104) < 1.5 || segment(x, y, 22, 104, 22, 24) < 1.5) c = c.map((v) => v * 0.8 + 0.2);
  return [...c, 1];
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) for (let sx = 0; sx < SS; sx++) {
      const [r, g, b, a] = shade(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
      acc[0] += r * a; acc[1] += g * a; acc[2] += b * a; acc[3] += a;
    }
    const o = py * (SIZE * 4 + 1) + 1 + px * 4, a = acc[3] / (SS * SS);
    for (let k = 0; k < 3; k++) raw[o + k] = a ? Math.round((acc[k] / acc[3]) * 255) : 0;
    raw[o + 3] = Math.round(a * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc32 = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0); ihdr.writeUInt32BE(SIZE, 4); ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]));
console.log(`wrote ${out}`);
