// Mail in flight under `spamtrail follow`: a burst of mail logged now shows in `spamtrail message`
// and on its drill-down page within 2 s of its lines being written, marked in progress, and stays
// visible after follow is stopped with SIGTERM while the journeys are inside their grace period.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { messageHref } from "../../components/links.ts";
import { projectRoot } from "../../lib/core/paths.ts";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { append, labMessagesNow } from "../follow/lab-feed.ts";
import { logTree } from "../follow/options.ts";
import { runCli } from "../helpers/run-cli.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { openSettled } from "./counters.ts";
import { spawnWatched, startApp } from "./harness.ts";

const WITHIN_MS = 2000;
// Delivered, deferred (still queued), a bounce, cron mail to aliases: journeys in several states.
const BURST = ["B-in-bob-ham-1", "B-auth25-erin-bounce", "B-web-order-defer", "B-cron-root-1"];

type Seen = { id: string; cliMs: number; pageMs: number; progress: string | null };

function startFollow(
  dbFile: string,
  paths: string[],
): { child: ChildProcess; said: (text: string) => Promise<void> } {
  const child = spawnWatched(
    path.join(projectRoot(), "lib/cli/spamtrail.mjs"),
    ["follow", "--db", dbFile, "--retention-days", "0", ...paths],
    { SPAMTRAIL_REPORT_TO: "" },
  );
  let out = "";
  child.stdout?.on("data", (chunk) => {
    out += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    out += String(chunk);
  });
  const said = async (text: string) => {
    const deadline = Date.now() + 60_000;
    while (!out.includes(text)) {
      if (child.exitCode !== null) throw new Error(`follow exited (${child.exitCode}): ${out}`);
      if (Date.now() > deadline) throw new Error(`follow did not say "${text}": ${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, said };
}

async function messageJson(
  dbFile: string,
  id: string,
): Promise<{ inProgress: boolean; progress: string | null } | null> {
  const { code, stdout } = await runCli(["message", "--db", dbFile, "--json", id]);
  return code === 0 ? (JSON.parse(stdout) as { inProgress: boolean; progress: string | null }) : null;
}

async function onPage(page: Page, url: string, id: string): Promise<boolean> {
  await openSettled(page, url);
  return (await page.getByRole("heading", { level: 1, name: `<${id}>` }).count()) > 0;
}

/** The drill-down page as the server sends it (what a reload shows): does it show the message? */
async function served(url: string, cookie: string, id: string): Promise<boolean> {
  const response = await fetch(url, { headers: { cookie } });
  const html = await response.text();
  const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)?.[1] ?? "";
  const text = heading
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
  return response.status === 200 && text === `<${id}>`;
}

/**
 * Finds every message of the burst with `spamtrail message` (in-process, one run at a time, round the
 * messages, so that the polling itself does not load the shared CPU), timed from `since`; as soon as
 * it finds one, that message's page is requested as served until it shows it (its time counts until
 * that response). Then each page is opened in the browser.
 */
async function findAll(
  dbFile: string,
  pages: Page[],
  base: string,
  ids: string[],
  since: number,
): Promise<Seen[]> {
  const cookie = (await (pages[0] as Page).context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const cliMs = new Map<string, number>();
  const pageRuns = new Map<string, Promise<number>>();
  const deadline = since + 20_000;
  const pageShows = async (id: string): Promise<number> => {
    while (!(await served(`${base}${messageHref(id)}`, cookie, id))) {
      if (performance.now() > deadline) throw new Error(`the page of ${id} did not show it within 20 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return performance.now() - since;
  };
  while (cliMs.size < ids.length) {
    for (const id of ids.filter((each) => !cliMs.has(each))) {
      if ((await messageJson(dbFile, id)) === null) continue;
      cliMs.set(id, performance.now() - since);
      pageRuns.set(id, pageShows(id));
    }
    if (performance.now() > deadline) {
      throw new Error(`not found within 20 s: ${ids.filter((id) => !cliMs.has(id)).join(", ")}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const seen: Seen[] = [];
  for (const [i, id] of ids.entries()) {
    const pageMs = await (pageRuns.get(id) as Promise<number>);
    const url = `${base}${messageHref(id)}`;
    assert.ok(await onPage(pages[i] as Page, url, id), `${id} shown in the browser`);
    const json = await messageJson(dbFile, id);
    assert.ok(json?.inProgress, `${id} is marked in progress (inside its grace period)`);
    assert.match((await (pages[i] as Page).locator("main").textContent()) ?? "", /in progress/);
    seen.push({ id, cliMs: cliMs.get(id) as number, pageMs, progress: json?.progress ?? null });
  }
  return seen;
}

/** Runs the check; returns the times measured, for the test's diagnostics. */
export async function checkMailInFlight(browser: Browser, password: string): Promise<string[]> {
  const tree = logTree();
  const dbFile = path.join(tempDir("spamtrail-in-flight-"), "follow.db");
  openAppDatabase(dbFile).db.close();
  const follow = startFollow(dbFile, tree.follow);
  const app = await startApp({ dbFile, env: { SPAMTRAIL_ADMIN_PASSWORD: password } });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    await follow.said("Caught up");
    const login = await context.newPage();
    await login.goto(`${app.url}/login`);
    await login.fill("#username", "admin");
    await login.fill("#password", password);
    await login.click("button[type=submit]");
    await login.waitForURL(`${app.url}/`);
    const burst = labMessagesNow(BURST, new Date());
    const pages = await Promise.all(burst.messageIds.map(() => context.newPage()));
    // Warm up what the timed part uses (the CLI's modules, the page's server code): what is timed is
    // how long follow takes to show the mail, not a first start.
    assert.equal(await messageJson(dbFile, "no-such-message@example.com"), null);
    await Promise.all(
      pages.map((p) => onPage(p, `${app.url}${messageHref("no-such-message@example.com")}`, "x")),
    );
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    assert.equal(await served(`${app.url}${messageHref("x@example.com")}`, cookie, "x@example.com"), false);

    append(tree.root, burst.entries);
    const written = performance.now();
    const live = await findAll(dbFile, pages, app.url, burst.messageIds, written);
    const times = live.map(
      (s) => `${s.id}: CLI ${Math.round(s.cliMs)} ms, page ${Math.round(s.pageMs)} ms (${s.progress})`,
    );
    for (const seen of live) {
      assert.ok(seen.cliMs <= WITHIN_MS, `spamtrail message too late: ${times.join("; ")}`);
      assert.ok(seen.pageMs <= WITHIN_MS, `drill-down too late: ${times.join("; ")}`);
    }
    assert.ok(
      live.some((s) => s.progress === "deferred"),
      "the greylisted copy is deferred",
    );

    follow.child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => follow.child.once("exit", resolve));
    assert.equal(code, 0);
    const stopped = await findAll(dbFile, pages, app.url, burst.messageIds, performance.now());
    return [...times, `after SIGTERM: ${stopped.map((s) => s.progress).join(", ")}`];
  } finally {
    if (follow.child.exitCode === null) follow.child.kill("SIGKILL");
    await context.close();
    await app.stop();
  }
}
