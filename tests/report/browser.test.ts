import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { projectRoot } from "../../lib/core/paths.ts";
import { CHROMIUM, CHROMIUM_ARGS, SKIP_BROWSER } from "../e2e/harness.ts";
import { HOSTILE, HOSTILE_LOGIN } from "./hostile-lines.ts";
import { BASE_URL, renderLabReport } from "./hostile-report.ts";

const ARTIFACTS = path.join(projectRoot(), "tests", ".artifacts", "report");
const skip = SKIP_BROWSER;

describe("the HTML report in Chromium", { skip }, () => {
  let browser: Browser;
  let html = "";
  const requests: string[] = [];
  const dialogs: string[] = [];

  before(async () => {
    html = (await renderLabReport({ hostile: true })).html;
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, "report.html"), html);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
  });
  after(() => browser?.close());

  async function open(width: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 }, javaScriptEnabled: true });
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.route("**/*", (route) => {
      requests.push(route.request().url());
      void route.abort();
    });
    await page.setContent(html, { waitUntil: "load" });
    return page;
  }

  test("renders at mail-client width; screenshot in tests/.artifacts/report/report.png", async () => {
    const page = await open(760);
    await page.screenshot({ path: path.join(ARTIFACTS, "report.png"), fullPage: true });
    const text = await page.evaluate(() => document.body.textContent ?? "");
    assert.match(text, /Needs attention: 2 high and 8 medium findings\./);
    for (const heading of [
      "Duplicate deliveries",
      "Training health",
      "Verdicts on authenticated and outgoing mail",
      "Volumes",
    ]) {
      assert.ok(text.includes(heading), heading);
    }
    // the hostile values are shown as text
    for (const value of [HOSTILE.sasl, HOSTILE.from, HOSTILE.to, HOSTILE_LOGIN]) {
      assert.ok(text.replace(/\s+/g, " ").includes(value), `shown as text: ${value}`);
    }
    await page.close();
  });

  test("no script ran, nothing was fetched, no element or attribute came from the logs", async () => {
    const page = await open(760);
    const found = await page.evaluate(() => ({
      active: document.querySelectorAll("script, img, svg, iframe, object, embed, style, link, form, input")
        .length,
      handlers: [...document.querySelectorAll("*")].flatMap((el) =>
        [...el.attributes].filter((a) => a.name.startsWith("on")).map((a) => `${el.tagName} ${a.name}`),
      ),
      hrefs: [...document.querySelectorAll("a")].map((a) => a.getAttribute("href") ?? ""),
    }));
    assert.equal(found.active, 0);
    assert.deepEqual(found.handlers, []);
    for (const href of found.hrefs) assert.ok(href.startsWith(`${BASE_URL}/`), href);
    await page.close();
    assert.deepEqual(dialogs, []);
    assert.deepEqual(requests, []);
  });

  test("the lab sample as the README shows it: tests/.artifacts/report/sample.png and sample.txt", async () => {
    const sample = await renderLabReport();
    writeFileSync(path.join(ARTIFACTS, "sample.txt"), sample.text);
    writeFileSync(path.join(ARTIFACTS, "sample.html"), sample.html);
    const page = await browser.newPage({ viewport: { width: 700, height: 900 } });
    await page.route("**/*", (route) => {
      requests.push(route.request().url());
      void route.abort();
    });
    await page.setContent(sample.html, { waitUntil: "load" });
    await page.screenshot({ path: path.join(ARTIFACTS, "sample.png"), fullPage: true });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 700);
    await page.close();
    assert.deepEqual(requests, []);
  });

  test("fits a phone's width (390 and 360 px) without scrolling sideways; screenshot report-narrow.png", async () => {
    for (const phone of [390, 360]) {
      const page = await open(phone);
      if (phone === 390)
        await page.screenshot({ path: path.join(ARTIFACTS, "report-narrow.png"), fullPage: true });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= phone, `page is ${width}px wide at ${phone}px`);
      await page.close();
    }
  });
});
