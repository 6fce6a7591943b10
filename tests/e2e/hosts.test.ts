// The host picker in a real browser: a database of several mail servers (three generated, and one
// message across mx1 → filter host → IMAP host); picking a server changes every counter of the
// overview, and each counter still equals the list its link opens on that server.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { type Browser, chromium } from "playwright-core";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { prismaFor } from "../../lib/db/prisma.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import { generatedYear, generateLogSet } from "../bench/generated-logs.ts";
import { writeCrossHostLogs } from "../helpers/cross-host-lines.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { checkCountersMatchLists, openSettled } from "./counters.ts";
import {
  buildForTests,
  CHROMIUM,
  CHROMIUM_ARGS,
  copyBuild,
  type RunningApp,
  SKIP_BROWSER,
  screenshotPath,
  startApp,
} from "./harness.ts";

const PASSWORD = "correct horse battery staple";

async function severalServers(dir: string): Promise<string> {
  const logs = generateLogSet("hosts3-400-s7", ["--messages", "400", "--hosts", "3", "--seed", "7"], {
    splitHosts: true,
  });
  const crossing = writeCrossHostLogs(path.join(dir, "crossing"));
  const file = path.join(dir, "hosts.db");
  const { db } = openAppDatabase(file);
  try {
    await ingestLogs(db, [logs.mailLog, logs.syslog, logs.dspamDir], { year: generatedYear(logs) });
    await ingestLogs(db, [...crossing.mx1, ...crossing.filter, ...crossing.imap], { year: 2026 });
  } finally {
    db.close();
    await prismaFor(file).$disconnect();
  }
  return file;
}

/** The overview's "messages" figure. */
async function messagesFigure(page: import("playwright-core").Page): Promise<number> {
  const text = await page.locator("#pipeline a").first().locator(":scope > *").nth(1).textContent();
  return Number((text ?? "").replace(/\D/g, ""));
}

test("picking a mail server on the dashboard", { skip: SKIP_BROWSER, timeout: 600_000 }, async (t) => {
  buildForTests();
  const distDir = copyBuild(".next-test-hosts");
  const dbFile = await severalServers(tempDir("spamtrail-e2e-hosts-"));
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  try {
    app = await startApp({ dbFile, distDir, env: { SPAMTRAIL_ADMIN_PASSWORD: PASSWORD } });
    const base = app.url;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${base}/login`);
    await page.fill("#username", "admin");
    await page.fill("#password", PASSWORD);
    await page.click("button[type=submit]");
    await page.waitForURL(`${base}/`);

    await t.test("the overview offers every server; picking one narrows every counter", async () => {
      await openSettled(page, `${base}/`);
      const picker = page.getByRole("navigation", { name: "Mail server" });
      assert.deepEqual(
        (await picker.getByRole("link").allTextContents()).map((s) => s.trim()),
        ["All servers", "filter", "imap", "mail1", "mail2", "mail3", "mx1"],
      );
      const all = await messagesFigure(page);
      await picker.getByRole("link", { name: "mail2" }).click();
      await page.waitForURL(/[?&]host=mail2/);
      await openSettled(page, page.url());
      assert.equal(
        await page
          .getByRole("navigation", { name: "Mail server" })
          .locator('[aria-current="true"]')
          .textContent(),
        "mail2",
      );
      const mail2 = await messagesFigure(page);
      assert.ok(mail2 > 0 && mail2 < all, `mail2 ${mail2} of ${all}`);
      await page.screenshot({ path: screenshotPath("overview-one-server"), fullPage: true });
    });

    await t.test("on one server, every counter is the length of the list its link opens", async (st) => {
      st.diagnostic((await checkCountersMatchLists(page, base, `${base}/?host=mail2`)).join(" · "));
    });

    await t.test("the lists keep the server: messages, findings and users pages", async () => {
      await openSettled(page, `${base}/messages?host=imap`);
      assert.equal(
        await page.locator("main ul.panel > li").count(),
        1,
        "the one message Dovecot stored on imap",
      );
      assert.equal(await page.locator("#host").inputValue(), "imap");
      await openSettled(page, `${base}/users?host=mx1`);
      assert.equal(
        await page
          .getByRole("navigation", { name: "Mail server" })
          .locator('[aria-current="true"]')
          .textContent(),
        "mx1",
      );
    });
  } finally {
    await browser?.close();
    await app?.stop();
  }
});
