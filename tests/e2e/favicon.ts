// npm run favicon: public/favicon.ico from app/icon.svg, drawn in Chromium at 16, 32 and 48 px.
// Pages name icon.svg, but a browser that has no icon link for a moment (Chromium during a client
// navigation), and tools that never read the page, ask for /favicon.ico: without the file that is a
// 404 in the browser's console.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, ROOT, SKIP_BROWSER } from "./harness.ts";

const SIZES = [16, 32, 48];

/** An ICO file holding one PNG per size (the format browsers and Windows read since Vista). */
function ico(pngs: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2); // type 1: icon
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length + 16 * pngs.length;
  const entries = pngs.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size, 0);
    entry.writeUInt8(size, 1);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...pngs.map(({ png }) => png)]);
}

if (SKIP_BROWSER) {
  console.error(`npm run favicon: ${SKIP_BROWSER}`);
  process.exit(1);
}
const svg = readFileSync(path.join(ROOT, "app", "icon.svg"), "utf8");
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const pngs = [];
  for (const size of SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<body style="margin:0">${svg.replace("<svg ", `<svg width="${size}" height="${size}" `)}</body>`,
    );
    pngs.push({ size, png: await page.screenshot({ omitBackground: true }) });
  }
  const file = path.join(ROOT, "public", "favicon.ico");
  writeFileSync(file, ico(pngs));
  console.log(`wrote ${path.relative(ROOT, file)} (${SIZES.join(", ")} px)`);
} finally {
  await browser.close();
}
