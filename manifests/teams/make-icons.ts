/**
 * Writes the Teams app icons (color 192×192, outline 32×32 white on transparent) as PNGs with
 * node:zlib alone. Run once after changing the design: `npx tsx manifests/teams/make-icons.ts`.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    const row = y * (size * 4 + 1);
    for (let x = 0; x < size; x += 1) rows.set(pixel(x, y), row + 1 + x * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A magnifier over a list: a ring and a handle, in unit coordinates (0–1). */
function glyph(u: number, v: number): boolean {
  const d = Math.hypot(u - 0.42, v - 0.42);
  const ring = d > 0.2 && d < 0.28;
  const along = (u + v) / 2;
  const across = Math.abs(u - v);
  const handle = along > 0.62 && along < 0.84 && across < 0.09;
  return ring || handle;
}

const here = dirname(fileURLToPath(import.meta.url));
const BLUE: Rgba = [0x46, 0x4e, 0xb8, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];
writeFileSync(
  join(here, 'color.png'),
  png(192, (x, y) => (glyph(x / 192, y / 192) ? WHITE : BLUE)),
);
writeFileSync(
  join(here, 'outline.png'),
  png(32, (x, y) => (glyph((x + 0.5) / 32, (y + 0.5) / 32) ? WHITE : CLEAR)),
);
