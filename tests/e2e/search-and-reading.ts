// Browser checks of issue 14, run inside tests/e2e/dashboard.test.ts (one build, one server, one
// browser): finding messages the way the admin remembers them, whether the data is current, the
// display zone, and reading every page on a laptop and a phone.
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { messageHref } from "../../components/links.ts";
import { openDatabase } from "../../lib/db/connection.ts";
import { screenshotPath } from "./harness.ts";

const DUPLICATE_ID = "20261122032656.5f903295ed.b07@supplier.example.net";

/** The "51–57 of 57" line of the Messages page. */
async function position(page: Page): Promise<string> {
  return ((await page.locator("[data-position]").first().textContent()) ?? "").replace(/\s+/g, " ").trim();
}

export async function checkSearchAndReading(
  t: TestContext,
  options: {
    base: string;
    page: Page;
    context: BrowserContext;
    dbFile: string;
    assertClean: (step: string) => void;
  },
): Promise<void> {
  const { base, page, context, dbFile, assertClean } = options;

  await t.test("finds mail by the alias the sender wrote (orig_to)", async () => {
    await page.goto(`${base}/messages`);
    await page.getByText("More filters").click();
    await page.fill("#recipient", "root@example.com");
    await page.locator("main search").getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/recipient=root%40example.com/);
    assert.equal(await position(page), "1–5 of 5 messages");
    const list = (await page.locator("main ul.panel").textContent()) ?? "";
    assert.equal(list.match(/\(written to root@example\.com\)/g)?.length, 5, list);
    await page.screenshot({ path: screenshotPath("messages-alias"), fullPage: true });
    assertClean("alias search");
  });

  await t.test("finds a queue id typed in lower case (the navigation search)", async () => {
    await page.goto(`${base}/`);
    await page.fill("#nav-search", "da0eb166632");
    await page.locator("header").getByRole("button", { name: "Find" }).click();
    await page.waitForURL(/\/messages\?q=da0eb166632/);
    await page.getByText("DA0EB166632 ·").waitFor();
    assert.equal(await position(page), "1–1 of 1 message");
    assertClean("lower-case queue id");
  });

  await t.test("filters by what happened: still queued", async () => {
    await page.goto(`${base}/messages`);
    await page.selectOption("#state", "queued");
    await page.locator("main search").getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/state=queued/);
    assert.match(await position(page), /^1–\d+ of \d+ messages?$/);
    const cards = page.locator("main ul.panel > li");
    // The list streams in after the page's counter: wait for it rather than count an empty list.
    await cards.first().waitFor();
    const count = await cards.count();
    assert.ok(count >= 1);
    for (let i = 0; i < count; i += 1) assert.match((await cards.nth(i).textContent()) ?? "", /deferred/);
    // An address that cannot be read is said, not dropped silently.
    await page.goto(`${base}/messages?verdict=bogus&from=notadate`);
    const alert = page.getByRole("alert");
    await alert.getByText("verdict=bogus is not understood").waitFor();
    await alert.getByText("from=notadate is not a date").waitFor();
    assertClean("status filter");
  });

  await t.test("exports the search as CSV: the rows the page shows", async () => {
    await page.goto(`${base}/messages?recipient=%40pager.example.net&sort=oldest`);
    const shown = await page.locator("main ul.panel > li .font-mono").allTextContents();
    const href = await page.getByRole("link", { name: "CSV" }).getAttribute("href");
    if (!href?.startsWith("/messages/export?")) assert.fail(`export link ${href}`);
    const response = await page.request.get(`${base}${href}`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()["content-type"] ?? "", /^text\/csv/);
    const lines = (await response.text()).trimEnd().split("\r\n");
    assert.equal(lines[0]?.split(",").slice(0, 3).join(","), "time,messageId,queueId");
    const queueIds = lines.slice(1).map((line) => line.split(",")[2]);
    assert.deepEqual(
      queueIds.slice(0, shown.length),
      shown.map((s) => s.split(" ·")[0]?.trim()),
    );
    const json = await page.request.get(`${base}${href.replace("format=csv", "format=json")}`);
    assert.equal((await json.json()).length, lines.length - 1);
    assertClean("export");
  });

  await t.test("an old database says so on every page, with a link to Sources", async () => {
    for (const path of ["/", "/messages", "/users", "/sources"]) {
      await page.goto(`${base}${path}`);
      const banner = page.locator('[data-freshness="stale"]');
      assert.match(
        (await banner.textContent()) ?? "",
        /No log lines for \d+ (days|hours): follow is not running\./,
        path,
      );
      await banner.getByRole("link", { name: "Sources" }).waitFor();
    }
    // "Last day" counts back from now: that day holds no mail, and the newest data's day is offered.
    await page.goto(`${base}/?range=1d`);
    await page
      .getByRole("status")
      .getByText(/No mail logged in the last day/)
      .waitFor();
    await page.getByRole("link", { name: "show the last day before it" }).click();
    await page.waitForURL(/\/\?from=.*&to=/);
    await page.getByRole("heading", { name: "Does every recipient get one copy?" }).waitFor();
    await page.screenshot({ path: screenshotPath("overview-stale"), fullPage: true });
    assertClean("freshness");
  });

  await t.test("times are shown in the display zone, named (SPAMTRAIL_TZ=Europe/Berlin)", async () => {
    await page.goto(`${base}${messageHref(DUPLICATE_ID)}`);
    // 03:26:59 UTC in the log's zone is 04:26:59 in Berlin.
    await page.getByText("2026-11-22 04:26:59 CET").first().waitFor();
    await page.goto(`${base}/messages?from=2026-11-22&to=2026-11-22`);
    assert.equal(
      await page.locator("#from").inputValue(),
      "2026-11-22",
      "the date input shows the URL's value",
    );
    await page.getByText("From (CET)").waitFor();
    await page.goto(`${base}/`);
    await page.getByText(/one bar per (minute|hour|day), Europe\/Berlin time/).waitFor();
    assertClean("time zone");
  });

  await t.test("a chart bucket opens the messages of that bucket", async () => {
    await page.goto(`${base}/`);
    const width = /one bar per (minute|hour|day)/.exec(
      (await page.locator("#charts").textContent()) ?? "",
    )?.[1];
    const bar = page.locator('figure:has-text("by origin") svg a').first();
    const label = (await bar.getAttribute("aria-label")) ?? "";
    const [, bucket, count] = /^([\d-]+(?: [\d:]+)?): (\d+) messages/.exec(label) ?? [];
    assert.ok(width && bucket && Number(count) > 0, label);
    await bar.click();
    await page.waitForURL(/\/messages\?from=.*&to=/);
    const total = Number(/ of (\d+) messages?$/.exec(await position(page))?.[1]);
    assert.ok(total >= Number(count), `${total} listed, ${count} in the bar`);
    // Every message listed was received in that bucket (the chart's own count leaves out bounces).
    const prefix = width === "hour" ? bucket.slice(0, 13) : bucket;
    const listed = page.locator("main ul.panel > li time");
    await listed.first().waitFor();
    const times = await listed.allTextContents();
    assert.ok(times.length > 0);
    for (const time of times) assert.ok(time.startsWith(prefix), `${time} in ${bucket}`);
    assertClean("chart bucket");
  });

  await t.test("the drill-down expands every log line at once and copies ids and lines", async () => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
    await page.goto(`${base}${messageHref(DUPLICATE_ID)}`);
    await page.getByRole("button", { name: "Expand all log lines" }).click();
    const closed = await page.locator("details[data-log-lines]:not([open])").count();
    assert.equal(closed, 0);
    await page.getByRole("button", { name: "Copy the Message-ID" }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), DUPLICATE_ID);
    await page.getByRole("button", { name: "Copy queue id 53FB5166633" }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "53FB5166633");
    await page.getByRole("button", { name: "Copy this log line" }).first().click();
    assert.match(await page.evaluate(() => navigator.clipboard.readText()), / postfix\/[a-z/]+\[\d+\]: /);
    assertClean("drill-down tools");
  });

  await t.test(
    "Sources at 1440 px: the file column is wide, paths break only between their parts",
    async () => {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(`${base}/sources`);
      // The table streams in after the page's frame: measured once its header is shown.
      const fileColumn = page
        .getByRole("table", { name: "Ingested log files" })
        .getByRole("columnheader", { name: "File", exact: true });
      await fileColumn.waitFor({ state: "visible" });
      const width = await fileColumn.evaluate((th) => th.getBoundingClientRect().width);
      assert.ok(width >= 200, `file column ${width} px wide`);
      // A path breaks only between its parts: each of its lines holds many characters (not one).
      const broken = await page.locator("tbody td:first-child a").evaluateAll((links) =>
        links.flatMap((link) => {
          const text = link.textContent ?? "";
          const lines = Math.round(
            link.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(link).lineHeight),
          );
          return text.length / Math.max(1, lines) < 15 ? [`${text} (${lines} lines)`] : [];
        }),
      );
      assert.deepEqual(broken, []);
      await page.screenshot({ path: screenshotPath("sources-1440"), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
      assertClean("sources");
    },
  );

  await t.test("Users on a phone (390 px): name, failed and success without sideways scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/users`);
    const table = page.getByRole("table", { name: /Training health/ });
    for (const name of ["User", "Failed", "Success"])
      await table.getByRole("columnheader", { name, exact: true }).waitFor({ state: "visible" });
    const overflow = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth - window.innerWidth,
      tables: [...document.querySelectorAll("main .overflow-x-auto")].map(
        (d) => d.scrollWidth - d.clientWidth,
      ),
    }));
    assert.deepEqual(overflow, { page: 0, tables: overflow.tables.map(() => 0) });
    await page.screenshot({ path: screenshotPath("users-phone"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    assertClean("users on a phone");
  });

  await t.test("while follow runs, pages refresh themselves, and the refresh can be paused", async () => {
    const db = openDatabase(dbFile);
    try {
      const now = Date.now();
      db.prepare("INSERT OR REPLACE INTO Setting (key, value, updatedAt) VALUES ('follow.status', ?, ?)").run(
        JSON.stringify({
          state: "running",
          pid: 4242,
          startedAt: now - 60_000,
          heartbeatAt: now,
          files: 3,
          lines: { read: 10, fresh: 0 },
        }),
        now,
      );
    } finally {
      db.close();
    }
    await page.goto(`${base}/messages`);
    const banner = page.locator('[data-freshness="stale"]');
    await banner.getByText(/follow is running but reads nothing new/).waitFor();
    await banner.getByText("refreshes every 15 s").waitFor();
    await banner.getByRole("button", { name: "Pause" }).click();
    await banner.getByText("auto-refresh paused").waitFor();
    await banner.getByRole("button", { name: "Resume" }).click();
    const cleanup = openDatabase(dbFile);
    try {
      cleanup.prepare("DELETE FROM Setting WHERE key = 'follow.status'").run();
    } finally {
      cleanup.close();
    }
    assertClean("live refresh");
  });
}
