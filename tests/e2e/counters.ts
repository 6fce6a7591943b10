// Every number on the overview that links somewhere equals the number of rows its link lists: the
// health checks, the open findings by severity, the pipeline's counters.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";

type Counter = { label: string; value: number; href: string };

const toNumber = (text: string) => Number(text.replace(/,/g, ""));

/** The overview's linked numbers: stats (their big figure) and health checks (the first number of the answer). */
async function overviewCounters(page: Page): Promise<Counter[]> {
  // Texts only from the page (functions defined inside evaluate would need the bundler's helpers).
  const raw = await page.evaluate(() => [
    ...[...document.querySelectorAll("#pipeline a, #open-findings a.panel")].map((link) => ({
      label: link.children[0]?.textContent ?? "",
      text: link.children[1]?.textContent ?? "",
      href: link.getAttribute("href") ?? "",
    })),
    ...[...document.querySelectorAll("#health li")]
      .filter((card) => card.querySelector("a"))
      .map((card) => ({
        label: card.querySelector("h3")?.textContent ?? "",
        text: card.querySelector("p")?.textContent ?? "",
        href: card.querySelector("a")?.getAttribute("href") ?? "",
      })),
  ]);
  return raw.flatMap((r) => {
    const figure = /\d[\d,]*/.exec(r.text)?.[0];
    return figure === undefined ? [] : [{ label: r.label, value: toNumber(figure), href: r.href }];
  });
}

/** Opens a page and waits until its sections have streamed in (no loading placeholder left). */
export async function openSettled(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(
    () => document.querySelector("main") && !document.querySelector(".animate-pulse"),
  );
}

/** Rows of the list a link opens, following its pages. */
async function rowsBehind(page: Page, base: string, href: string): Promise<number> {
  const url = new URL(href, base);
  if (url.pathname === "/messages")
    return pagedRows(page, `${base}${url.pathname}${url.search}`, "main ul.panel > li");
  if (url.pathname === "/findings")
    return pagedRows(page, `${base}${url.pathname}${url.search}`, "main ul.space-y-3 > li");
  if (url.pathname === "/users") {
    await openSettled(page, `${base}${url.pathname}${url.search}`);
    const section = url.searchParams.has("finding") ? "#users" : "#retraining";
    return page.locator(`${section} tbody tr`).count();
  }
  throw new Error(`no list behind ${href}`);
}

async function pagedRows(page: Page, first: string, rows: string): Promise<number> {
  let total = 0;
  let next: string | null = first;
  while (next) {
    await openSettled(page, next);
    total += await page.locator(rows).count();
    const older = page.locator('nav a[rel="next"]');
    next =
      (await older.count()) > 0 ? new URL((await older.getAttribute("href")) ?? "", page.url()).href : null;
  }
  return total;
}

/** Asserts that every linked number of the overview at `overviewUrl` is the length of its list; returns what it compared. */
export async function checkCountersMatchLists(
  page: Page,
  base: string,
  overviewUrl: string,
): Promise<string[]> {
  await openSettled(page, overviewUrl);
  const counters = await overviewCounters(page);
  assert.ok(counters.length >= 15, `the overview's linked numbers (${counters.length})`);
  const compared: string[] = [];
  for (const counter of counters) {
    const rows = await rowsBehind(page, base, counter.href);
    assert.equal(
      rows,
      counter.value,
      `${counter.label}: ${counter.value} on the overview, ${rows} rows behind ${counter.href}`,
    );
    compared.push(`${counter.label.trim()} ${toNumber(String(counter.value))}`);
  }
  return compared;
}
