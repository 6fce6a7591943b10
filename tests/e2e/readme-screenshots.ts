// npm run screenshots: the README's dashboard pictures (public/screenshots/), taken in Chromium from
// the bundled sample alone — the browser test's database also holds hostile lines.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { messageHref, userHref } from "../../components/links.ts";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import { LAB_LOGS, LAB_YEAR } from "../helpers/fixtures.ts";
import {
  buildForTests,
  CHROMIUM,
  CHROMIUM_ARGS,
  ROOT,
  type RunningApp,
  SKIP_BROWSER,
  startApp,
} from "./harness.ts";

const OUT = path.join(ROOT, "public", "screenshots");
const PASSWORD = "readme-screenshots-password";
// The duplicate delivery to bob's pager: the origin story's first pitfall.
const DUPLICATE = "20261122032656.5f903295ed.b07@supplier.example.net";

if (SKIP_BROWSER) {
  console.error(`npm run screenshots: ${SKIP_BROWSER}`);
  process.exit(1);
}
const dir = mkdtempSync(path.join(tmpdir(), "spamtrail-screenshots-"));
let app: RunningApp | undefined;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const dbFile = path.join(dir, "demo.db");
  const { db } = openAppDatabase(dbFile);
  // Relative paths: the raw lines show prisma/demo/…, not this machine's checkout directory.
  await ingestLogs(db, [path.relative(process.cwd(), LAB_LOGS)], { year: LAB_YEAR });
  db.close();
  buildForTests();
  app = await startApp({ dbFile, env: { SPAMTRAIL_ADMIN_PASSWORD: PASSWORD } });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
  await page.goto(`${app.url}/login`);
  await page.fill("#username", "admin");
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(`${app.url}/`);
  mkdirSync(OUT, { recursive: true });
  const shots: [string, string][] = [
    ["overview", "/"],
    ["message-duplicate", messageHref(DUPLICATE)],
    ["user-bob", userHref("bob@example.com")],
    ["findings", "/findings"],
  ];
  for (const [name, href] of shots) {
    await page.goto(`${app.url}${href}`);
    await page.waitForLoadState("networkidle");
    const file = path.join(dir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    copyFileSync(file, path.join(OUT, `${name}.png`));
    console.log(`public/screenshots/${name}.png`);
  }
} finally {
  await browser.close();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
}
