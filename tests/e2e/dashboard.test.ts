// The dashboard in a real browser (Debian's Chromium through playwright-core): one build, one
// server, one browser for every check. Skipped, saying why, when Chromium is not installed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { messageHref, userHref } from "../../components/links.ts";
import { showInvisible } from "../../lib/core/visible-text.ts";
import { openDatabase } from "../../lib/db/connection.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { checkCountersMatchLists, openSettled } from "./counters.ts";
import { createFixtureDatabase } from "./fixture-db.ts";
import {
  buildForTests,
  CHROMIUM,
  CHROMIUM_ARGS,
  DIST_DIR,
  type RunningApp,
  SKIP_BROWSER,
  screenshotPath,
  startApp,
} from "./harness.ts";
import { HOSTILE, PWNED } from "./hostile-logs.ts";
import { checkMailInFlight } from "./in-flight.ts";
import { checkSearchAndReading } from "./search-and-reading.ts";
import { checkSignInSecurity } from "./security-checks.ts";

const PASSWORD = "correct horse battery staple";
const DUPLICATE_ID = "20261122032656.5f903295ed.b07@supplier.example.net";

type Problems = { console: string[]; page: string[]; requests: string[]; dialogs: string[] };

/** Records everything that must not happen: console errors (CSP violations too), page errors, failed requests, dialogs. */
function watch(page: Page, problems: Problems): void {
  page.on("console", (message) => {
    // The resource's address too: the favicon's request is hidden from Playwright's network events.
    if (message.type() === "error")
      problems.console.push(`${page.url()}: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => problems.page.push(`${page.url()}: ${error.message}`));
  page.on("dialog", (dialog) => {
    problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("requestfailed", (request) => {
    // A request the browser cancels because the page navigated on is not a failure of the server.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.requests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400)
      problems.requests.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
}

function assertClean(problems: Problems, step: string): void {
  const all = [...problems.console, ...problems.page, ...problems.requests, ...problems.dialogs];
  assert.deepEqual(all, [], `${step}: console errors, page errors, failed requests or dialogs`);
}

async function notPwned(page: Page): Promise<void> {
  const state = await page.evaluate((flag) => {
    const w = window as unknown as Record<string, unknown>;
    // SVG links too (chart bars): their href is an attribute, not a URL property.
    const links = [...document.querySelectorAll("a[href]")].map(
      (a) => new URL(a.getAttribute("href") ?? "", location.href).href,
    );
    return {
      flag: w[flag] ?? null,
      injected: document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onfocus], [onmouseover]')
        .length,
      foreignLinks: links.filter((href) => !href.startsWith(location.origin)),
    };
  }, PWNED);
  assert.deepEqual(
    state,
    { flag: null, injected: 0, foreignLinks: [] },
    `hostile content executed on ${page.url()}`,
  );
}

/** Nothing on the page hides or reorders text: no control, bidi or format character in what it shows. */
async function noInvisibleCharacters(page: Page): Promise<void> {
  const found = await page.evaluate(() => {
    const invisible = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, not the scripts' data
    const shown = [document.title, document.body.innerText.replace(/[\n\t]/g, " ")];
    for (const element of document.body.querySelectorAll("[title], [aria-label], [alt]"))
      for (const name of ["title", "aria-label", "alt"]) shown.push(element.getAttribute(name) ?? "");
    return shown
      .filter((text) => invisible.test(text))
      .map((text) => {
        const at = text.search(invisible);
        return `U+${text.codePointAt(at)?.toString(16)} in …${text.slice(Math.max(0, at - 40), at + 20)}…`;
      });
  });
  assert.deepEqual(found, [], `invisible characters shown raw on ${page.url()}`);
}

async function openAllDetails(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const details of document.querySelectorAll("details")) details.open = true;
  });
}

test("dashboard in Chromium", { skip: SKIP_BROWSER, timeout: 300_000 }, async (t) => {
  const build = buildForTests();
  t.diagnostic(
    build.built
      ? `next build (${DIST_DIR}) took ${Math.round(build.ms / 1000)} s`
      : `reused the up-to-date build in ${DIST_DIR}`,
  );
  const dir = tempDir("spamtrail-e2e-");
  const dbFile = await createFixtureDatabase(dir);
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  try {
    // Times shown in another zone than the logs' (UTC): the display zone is named and used everywhere.
    app = await startApp({
      dbFile,
      env: { SPAMTRAIL_ADMIN_PASSWORD: PASSWORD, SPAMTRAIL_TZ: "Europe/Berlin" },
    });
    const base = app.url;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
    const page = await context.newPage();
    const problems: Problems = { console: [], page: [], requests: [], dialogs: [] };
    watch(page, problems);

    await t.test(
      "every page but the login page needs a session, the favicon none; responses carry a CSP",
      async () => {
        for (const path of ["/", "/messages?q=x", "/findings/1", "/users", "/sources"]) {
          const response = await fetch(`${base}${path}`, { redirect: "manual" });
          assert.equal(response.status, 307, path);
          assert.match(response.headers.get("location") ?? "", /^\/login/, path);
        }
        // A browser asks for /favicon.ico whenever a page names no icon, signed in or not.
        const favicon = await fetch(`${base}/favicon.ico`, { redirect: "manual" });
        assert.equal(favicon.status, 200);
        assert.equal(favicon.headers.get("content-type"), "image/x-icon");
        const icon = Buffer.from(await favicon.arrayBuffer());
        assert.deepEqual([icon.readUInt16LE(0), icon.readUInt16LE(2), icon.readUInt16LE(4)], [0, 1, 3]);
        assert.equal(
          icon.subarray(icon.readUInt32LE(6 + 12), icon.readUInt32LE(6 + 12) + 4).toString("latin1"),
          "\x89PNG",
        );
        const post = await fetch(`${base}/findings/1`, { method: "POST", body: "x", redirect: "manual" });
        assert.equal(post.status, 401);
        const login = await fetch(`${base}/login`);
        assert.equal(login.status, 200);
        const csp = login.headers.get("content-security-policy") ?? "";
        assert.match(csp, /script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
        assert.match(csp, /frame-ancestors 'none'/);
        assert.equal(login.headers.get("x-frame-options"), "DENY");
      },
    );

    await t.test("a wrong password is refused", async () => {
      await page.goto(`${base}/users`);
      assert.match(page.url(), /\/login\?next=%2Fusers$/);
      await page.fill("#username", "admin");
      await page.fill("#password", "not the password");
      await page.click("button[type=submit]");
      await page.getByRole("alert").getByText("Wrong user name or password.").waitFor();
      await page.screenshot({ path: screenshotPath("login-refused") });
      assertClean(problems, "failed login");
    });

    await t.test("signs in and shows the overview", async () => {
      await page.goto(`${base}/login`);
      await page.fill("#username", "admin");
      await page.fill("#password", PASSWORD);
      await page.click("button[type=submit]");
      await page.waitForURL(`${base}/`);
      await page.getByRole("heading", { level: 1, name: "Does my antispam really work?" }).waitFor();
      const duplicates = page.locator("li", {
        has: page.getByRole("heading", { name: "Does every recipient get one copy?" }),
      });
      assert.match((await duplicates.textContent()) ?? "", /Broken/);
      const retraining = page.locator("li", {
        has: page.getByRole("heading", { name: "Does retraining reach DSPAM?" }),
      });
      assert.match((await retraining.textContent()) ?? "", /wrong DSPAM user/);
      assert.equal(await page.locator('svg[role="img"]').count(), 3, "three charts");
      const session = (await context?.cookies())?.find((c) => c.name === "spamtrail_session");
      assert.ok(session, "session cookie");
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, "Strict");
      await page.screenshot({ path: screenshotPath("overview"), fullPage: true });
      await page.emulateMedia({ colorScheme: "dark" });
      await page.screenshot({ path: screenshotPath("overview-dark"), fullPage: true });
      await page.emulateMedia({ colorScheme: "light" });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: screenshotPath("overview-phone"), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
      assertClean(problems, "overview");
    });

    await t.test("every number on the overview is the length of the list behind its link", async (st) => {
      // All data, and a range inside it (the presets count back from now: the sample is older).
      for (const overview of [`${base}/`, `${base}/?from=2026-11-22T04:27&to=2026-11-23`])
        st.diagnostic((await checkCountersMatchLists(page, base, overview)).join(" · "));
      assertClean(problems, "counters and their lists");
    });

    await t.test("a range without mail says so on every page, never an all-clear", async () => {
      const range = "from=2026-12-01&to=2026-12-01";
      for (const path of ["/", "/users", "/findings", "/messages", userHref("bob@example.com")]) {
        await openSettled(page, `${base}${path}?${range}`);
        await page
          .getByText("No mail logged between 2026-12-01 00:00 and 2026-12-02 00:00.")
          .first()
          .waitFor();
      }
      assertClean(problems, "empty range");
    });

    await t.test("searches messages, the search kept in the URL", async () => {
      await page.goto(`${base}/messages`);
      await page.fill("#q", "bob.oncall@pager.example.net");
      await page.selectOption("#finding", "duplicate-delivery");
      await page.locator("main search").getByRole("button", { name: "Search" }).click();
      await page.waitForURL(/\/messages\?q=bob.oncall%40pager.example.net.*finding=duplicate-delivery/);
      await page.getByRole("link", { name: "Re: quotation for office furniture" }).waitFor();
      assert.match(
        ((await page.locator("[data-position]").textContent()) ?? "").replace(/\s+/g, " "),
        /^1–\d+ of \d+ messages$/,
      );
      await page.screenshot({ path: screenshotPath("messages-search") });
      assertClean(problems, "search");
    });

    await t.test("drills down into the duplicate delivery to the pager", async () => {
      await page.getByRole("link", { name: "Re: quotation for office furniture" }).click();
      await page.waitForURL(`${base}${messageHref(DUPLICATE_ID)}`);
      await page.getByText("bob.oncall@pager.example.net got 2 copies").waitFor();
      await page.getByRole("link", { name: "Duplicate deliveries" }).waitFor();
      for (const hop of [
        "Received as 064FA166632",
        "DSPAM classified 2 copies",
        "Back from the filter as 1D451166633",
        "Back from the filter as 53FB5166633",
        "Stored by Dovecot",
      ])
        await page.getByRole("heading", { name: hop }).waitFor();
      await page.getByText("12 log lines").click();
      await page.getByText(/var\/log\/mail\.log:108$/).waitFor();
      await page.screenshot({ path: screenshotPath("message-duplicate"), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: screenshotPath("message-duplicate-phone"), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
      // Any queue id of the message leads to the same page.
      await page.goto(`${base}${messageHref("53FB5166633")}`);
      await page.getByRole("heading", { level: 1, name: `<${DUPLICATE_ID}>` }).waitFor();
      assertClean(problems, "drill-down");
    });

    await t.test(
      "the Config page: each problem with its line, fix and log evidence, and the history",
      async () => {
        await page.goto(`${base}/config`);
        await page.getByRole("heading", { level: 1, name: "Configuration" }).waitFor();
        const card = page.locator('article[data-check="training-user-mismatch"]');
        await card.getByText(/etc\/dovecot\/dovecot\.conf:101/).waitFor();
        await card.getByText("antispam_dspam_args = --deliver=;--client;--user;%n@example.com").waitFor();
        await card.getByText("confirmed", { exact: true }).waitFor();
        await card.getByRole("link", { name: "training-misdirected" }).waitFor();
        // The fix stored as the second snapshot: duplicates stopped after it.
        await page
          .getByText(
            /alias-expansion-twice passes since then: duplicate-delivery stopped \(\d+ before, none since\)/,
          )
          .waitFor();
        await page
          .getByText(/127\.0\.0\.1:10026\/inet -o receive_override_options: .* → .*no_address_mappings/)
          .waitFor();
        await page.screenshot({ path: screenshotPath("config"), fullPage: true });
        // A finding's page shows the configuration line behind it.
        await card.getByRole("link", { name: "training-misdirected" }).click();
        await page.waitForURL(/\/findings\?kind=training-misdirected/);
        await page.locator('main a[href^="/findings/"]').first().click();
        await page.getByRole("heading", { name: "In your configuration" }).waitFor();
        await page.getByText("antispam_dspam_args = --deliver=;--client;--user;%u").waitFor();
        assertClean(problems, "config");
      },
    );

    await t.test("shows the misdirected retraining on the users page", async () => {
      await page.goto(`${base}/users`);
      const table = page.getByRole("table", { name: "Retrainings: to the wrong DSPAM user" });
      for (const [login, classifiedBy] of [
        ["bob", "bob@example.com"],
        ["alice", "alice@example.com"],
        ["dave", "dave@example.com"],
      ] as const) {
        const row = table
          .getByRole("row")
          .filter({ has: page.getByRole("cell", { name: login, exact: true }) })
          .first();
        assert.match(
          (await row.textContent()) ?? "",
          new RegExp(`wrong user[\\s\\S]*${classifiedBy.replace(".", "\\.")}[\\s\\S]*failed`),
        );
      }
      await page.screenshot({ path: screenshotPath("users") });
      await page
        .getByRole("table", { name: /Training health/ })
        .getByRole("link", { name: "bob@example.com", exact: true })
        .click();
      await page.waitForURL(`${base}${userHref("bob@example.com")}`);
      await page
        .getByRole("heading", { name: "Retraining of this user's mail that went to another DSPAM user" })
        .waitFor();
      await page.screenshot({ path: screenshotPath("user-bob"), fullPage: true });
      assertClean(problems, "users");
    });

    await checkSearchAndReading(t, {
      base,
      page,
      context,
      dbFile,
      assertClean: (step) => assertClean(problems, step),
    });

    await t.test("acknowledges a finding; the audit trail says who and when", async () => {
      await page.goto(`${base}/findings?kind=training-misdirected`);
      // The lab's own finding: bob logs in without the domain, bob@example.com classified the mail.
      // One card for the cause: it folds out every login it covers, and links the dictionaries it made.
      const card = page.getByRole("listitem").filter({ hasText: "IMAP logins without their domain" });
      await card
        .locator("summary")
        .filter({ hasText: /^Covers \d+ retrainings/ })
        .click();
      const covered = card.getByRole("list", { name: "Users and addresses" });
      for (const login of ["alice", "bob", "dave"])
        assert.ok(await covered.getByRole("link", { name: login, exact: true }).isVisible(), login);
      assert.equal(
        await card.getByRole("link", { name: "DSPAM dictionaries nobody trains" }).count(),
        1,
        "links the related finding",
      );
      await card.getByRole("link", { name: "Retraining sent to the wrong DSPAM user" }).click();
      await page.waitForURL(/\/findings\/\d+$/);
      const findingId = Number(new URL(page.url()).pathname.split("/").at(-1));
      // The evidence in people's words: no internal keys, flags or epoch milliseconds.
      const evidence = ((await page.locator("#evidence").textContent()) ?? "").replace(/\s+/g, " ");
      assert.match(evidence, /IMAP login\s*bob/);
      assert.doesNotMatch(evidence, /loginHasNoDomain|login has no domain|dspam-user:|\b1[7-9]\d{11}\b/);
      assert.equal(await page.locator("#note").inputValue(), "", "the note box starts empty");
      await page.fill("#note", "antispam_dspam_args fixed to %n@example.com, ticket 42");
      await page.getByRole("button", { name: "Acknowledge" }).click();
      const audit = page.getByRole("list", { name: "Status changes" });
      await audit.getByText(/admin acknowledged it on/).waitFor();
      await audit.getByText("ticket 42", { exact: false }).waitFor();
      assert.equal(await page.locator("#note").inputValue(), "", "a recorded note is not offered again");
      await page.screenshot({ path: screenshotPath("finding-acknowledged"), fullPage: true });
      const db = openDatabase(dbFile, { readonly: true });
      try {
        const row = db.prepare("SELECT status, statusBy FROM Finding WHERE id = ?").get(findingId);
        assert.deepEqual(row, { status: "acknowledged", statusBy: "admin" });
        const audits = db
          .prepare("SELECT action, actor, note FROM FindingAudit WHERE findingId = ?")
          .all(findingId);
        assert.deepEqual(audits, [
          {
            action: "acknowledge",
            actor: "admin",
            note: "antispam_dspam_args fixed to %n@example.com, ticket 42",
          },
        ]);
      } finally {
        db.close();
      }
      // A forged form (wrong CSRF token) changes nothing.
      await page.evaluate(() => {
        for (const input of document.querySelectorAll<HTMLInputElement>('input[name="csrf"]'))
          input.value = "forged";
      });
      await page.getByRole("button", { name: "Reopen" }).click();
      await page
        .getByRole("alert")
        .getByText(/Your change was refused/)
        .waitFor();
      const check = openDatabase(dbFile, { readonly: true });
      try {
        assert.equal(
          (check.prepare("SELECT status FROM Finding WHERE id = ?").get(findingId) as { status: string })
            .status,
          "acknowledged",
        );
        assert.equal((check.prepare("SELECT count(*) AS n FROM FindingAudit").get() as { n: number }).n, 1);
      } finally {
        check.close();
      }
      assertClean(problems, "acknowledge");
    });

    await t.test("hostile log content is shown as text and never runs", async () => {
      const visits = [
        "/",
        "/messages",
        messageHref(HOSTILE.messageId),
        messageHref(HOSTILE.longMessageId),
        "/users",
        userHref(HOSTILE.login),
        userHref(HOSTILE.recipient),
        "/findings?status=all",
        "/sources",
      ];
      for (const path of visits) {
        await page.goto(`${base}${path}`);
        await openAllDetails(page);
        await page.locator("main").waitFor();
        await notPwned(page);
        await noInvisibleCharacters(page);
      }
      // Each finding's page, and the sources' pages of lines not understood.
      for (const list of ["/findings?status=all", "/sources"]) {
        await page.goto(`${base}${list}`);
        const links = await page
          .locator('main a[href^="/findings/"], main a[href^="/sources/"]')
          .evaluateAll((anchors) => [...new Set(anchors.map((a) => (a as HTMLAnchorElement).pathname))]);
        for (const path of links) {
          await page.goto(`${base}${path}`);
          await openAllDetails(page);
          await noInvisibleCharacters(page);
        }
      }
      await page.goto(`${base}${messageHref(HOSTILE.messageId)}`);
      // invoice\u202egpj.exe reads as invoiceexe.jpg unless shown visibly.
      await page.getByRole("heading", { level: 1, name: showInvisible(`<${HOSTILE.messageId}>`) }).waitFor();
      await openAllDetails(page);
      await page.getByText(showInvisible(HOSTILE.subject).slice(0, 60)).first().waitFor();
      await page.getByText(showInvisible(HOSTILE.sender)).first().waitFor();
      await notPwned(page);
      await page.screenshot({ path: screenshotPath("hostile-message"), fullPage: true });
      await page.goto(`${base}/messages?q=${encodeURIComponent(HOSTILE.sender)}`);
      await page.getByText(showInvisible(HOSTILE.sender)).first().waitFor();
      await notPwned(page);
      await noInvisibleCharacters(page);
      await page.screenshot({ path: screenshotPath("hostile-search") });
      assertClean(problems, "hostile content");
    });

    await t.test("the keyboard reaches the skip link, the sections and the search", async () => {
      await page.goto(`${base}/`);
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), "Skip to content");
      const reached: string[] = [];
      for (let i = 0; i < 8; i += 1) {
        await page.keyboard.press("Tab");
        reached.push(
          await page.evaluate(
            () =>
              document.activeElement?.getAttribute("id") ?? document.activeElement?.textContent?.trim() ?? "",
          ),
        );
      }
      for (const name of ["Overview", "Messages", "Findings", "Users", "Sources", "nav-search"])
        assert.ok(reached.includes(name), `${name} in ${reached.join(", ")}`);
      assertClean(problems, "keyboard");
    });

    await t.test(
      "mail in flight under follow: found by spamtrail message and on its page within 2 s, in progress, and again after SIGTERM",
      async (st) => {
        for (const line of await checkMailInFlight(browser as Browser, PASSWORD)) st.diagnostic(line);
      },
    );

    await t.test("signs out", async () => {
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/login$/);
      await page.goto(`${base}/findings`);
      assert.match(page.url(), /\/login\?next=%2Ffindings$/);
      assertClean(problems, "sign out");
    });

    await checkSignInSecurity(t, { base, browser, password: PASSWORD, output: () => app?.output() ?? "" });
  } finally {
    await context?.close();
    await browser?.close();
    await app?.stop();
  }
});
