#!/usr/bin/env bash
# Draws the application icon — a red seal ring around 协 — and writes assets/icons/<N>x<N>.png for
# every size the installers use, assets/icon.png (1024 px, macOS) and assets/icon.ico (Windows).
# The artwork lives in assets/ (electron-builder's buildResources); build/ keeps only this script.
# Needs Node with the project's node_modules (pdf-lib, @pdf-lib/fontkit), poppler's pdftoppm and
# the AR PL UKai font (Debian fonts-arphic-ukai). Run from anywhere: build/generate-icons.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
font="${XIETONG_ICON_FONT:-/usr/share/fonts/truetype/arphic/ukai.ttc}"
command -v pdftoppm >/dev/null || { echo "generate.sh: pdftoppm (poppler-utils) is required" >&2; exit 1; }
[ -f "$font" ] || { echo "generate.sh: font $font not found (apt-get install fonts-arphic-ukai)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. The emblem as a one-page vector PDF: seal red on white.
cd "$root"
XIETONG_ICON_FONT="$font" XIETONG_ICON_OUT="$work/emblem.pdf" node --input-type=commonjs <<'JS'
const fs = require('node:fs');
const { PDFDocument, rgb } = require('pdf-lib');
const fontkit = require('@pdf-lib/fontkit');
const size = 1024;
const red = rgb(200 / 255, 16 / 255, 46 / 255);
(async () => {
  const doc = await PDFDocument.create();
  const page = doc.addPage([size, size]);
  page.drawRectangle({ x: 0, y: 0, width: size, height: size, color: rgb(1, 1, 1) });
  // Outer ring and a thin inner ring, as on an official seal.
  page.drawCircle({ x: size / 2, y: size / 2, size: 452, borderColor: red, borderWidth: 72 });
  page.drawCircle({ x: size / 2, y: size / 2, size: 370, borderColor: red, borderWidth: 14 });
  // The character 协 from the font's outline, drawn as a path (no font embedded).
  const font = fontkit.create(fs.readFileSync(process.env.XIETONG_ICON_FONT), 'UKaiCN');
  const glyph = font.glyphsForString('协')[0];
  const box = glyph.bbox;
  const scale = 560 / Math.max(box.maxX - box.minX, box.maxY - box.minY);
  const width = (box.maxX - box.minX) * scale;
  const height = (box.maxY - box.minY) * scale;
  // drawSvgPath flips y (SVG is y-down, font units are y-up): mirror the outline first.
  const path = glyph.path.scale(1, -1).toSVG();
  page.drawSvgPath(path, {
    x: (size - width) / 2 - box.minX * scale,
    y: (size - height) / 2 - box.minY * scale,
    scale,
    color: red,
  });
  fs.writeFileSync(process.env.XIETONG_ICON_OUT, await doc.save());
})().catch((error) => { console.error(error); process.exit(1); });
JS

# 2. Rasterise per size (poppler anti-aliases), then 3. turn white into transparency and write PNGs.
sizes="16 24 32 48 64 96 128 256 512 1024"
for n in $sizes; do pdftoppm -scale-to "$n" -singlefile "$work/emblem.pdf" "$work/$n"; done
XIETONG_ICON_WORK="$work" XIETONG_ICON_SIZES="$sizes" XIETONG_ICON_DIR="$root/assets/icons" node --input-type=commonjs <<'JS'
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const [R, G, B] = [200, 16, 46];
function readPpm(file) {
  const data = fs.readFileSync(file);
  let offset = 0;
  const token = () => {
    while (/\s/.test(String.fromCharCode(data[offset]))) offset++;
    let out = '';
    while (!/\s/.test(String.fromCharCode(data[offset]))) out += String.fromCharCode(data[offset++]);
    return out;
  };
  if (token() !== 'P6') throw new Error(`${file}: not a binary PPM`);
  const width = Number(token()); const height = Number(token()); token();
  return { width, height, pixels: data.subarray(offset + 1) };
}
function png(width, height, rgba) {
  const chunk = (type, body) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(body.length);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type), body])));
    return Buffer.concat([len, Buffer.from(type), body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0); header.writeUInt32BE(height, 4); header[8] = 8; header[9] = 6;
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
const outputs = {};
for (const n of process.env.XIETONG_ICON_SIZES.split(' ')) {
  const { width, height, pixels } = readPpm(path.join(process.env.XIETONG_ICON_WORK, `${n}.ppm`));
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    // Pixel = a·red + (1−a)·white; the green channel separates them best (255 vs 16).
    const alpha = Math.max(0, Math.min(1, (255 - pixels[i * 3 + 1]) / (255 - G)));
    rgba[i * 4] = R; rgba[i * 4 + 1] = G; rgba[i * 4 + 2] = B; rgba[i * 4 + 3] = Math.round(alpha * 255);
  }
  outputs[n] = png(width, height, rgba);
  fs.writeFileSync(path.join(process.env.XIETONG_ICON_DIR, `${n}x${n}.png`), outputs[n]);
}
fs.writeFileSync(path.join(process.env.XIETONG_ICON_DIR, '..', 'icon.png'), outputs['1024']);
// Windows .ico with PNG-compressed images (Vista and later), 16–256 px.
const icoSizes = ['16', '24', '32', '48', '64', '128', '256'];
const header = Buffer.alloc(6 + 16 * icoSizes.length);
header.writeUInt16LE(0, 0); header.writeUInt16LE(1, 2); header.writeUInt16LE(icoSizes.length, 4);
let offset = header.length;
icoSizes.forEach((n, index) => {
  const entry = 6 + index * 16; const size = Number(n);
  header[entry] = size >= 256 ? 0 : size; header[entry + 1] = size >= 256 ? 0 : size;
  header.writeUInt16LE(1, entry + 4); header.writeUInt16LE(32, entry + 6);
  header.writeUInt32LE(outputs[n].length, entry + 8); header.writeUInt32LE(offset, entry + 12);
  offset += outputs[n].length;
});
fs.writeFileSync(path.join(process.env.XIETONG_ICON_DIR, '..', 'icon.ico'), Buffer.concat([header, ...icoSizes.map((n) => outputs[n])]));
console.log(`icons written: ${Object.keys(outputs).map((n) => `${n}x${n}`).join(' ')}, icon.png, icon.ico`);
JS
