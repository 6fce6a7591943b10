// Sign-in hardening, checked against the running dashboard by dashboard.test.ts (one build, one
// server): where a sign-in may return to, signing in without JavaScript, the login rate limit
// under parallel attempts and spoofed client addresses, and bad addresses and parameters.
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { Browser, Page } from "playwright-core";
import { PEER_HEADER } from "../../lib/auth/client-address.ts";
import { MAX_FAILURES_PER_IP } from "../../lib/auth/rate-limit.ts";

export type SecurityTarget = { base: string; browser: Browser; password: string; output: () => string };

const WRONG = "Wrong user name or password.";
const LIMITED = /Too many failed logins from your address/;

async function signIn(page: Page, base: string, next: string, password: string): Promise<void> {
  await page.goto(`${base}/login?next=${next}`);
  await page.fill("#username", "admin");
  await page.fill("#password", password);
  await page.click("button[type=submit]");
}

/**
 * The login form as a browser without JavaScript posts it (React's action fields, the form token
 * and its cookie), sent with fetch: what many clients at once, or a client lying about its
 * address, can send.
 */
export async function postLogin(
  base: string,
  fields: { username: string; password: string },
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; session: boolean; cookie: string | null }> {
  const page = await fetch(`${base}/login`);
  const html = await page.text();
  const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const form = new FormData();
  for (const [, name, value = ""] of html.matchAll(
    /<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g,
  ))
    form.append(name as string, value.replaceAll("&quot;", '"').replaceAll("&amp;", "&"));
  form.append("username", fields.username);
  form.append("password", fields.password);
  const response = await fetch(`${base}/login`, {
    method: "POST",
    body: form,
    headers: { cookie, origin: base, ...headers },
    redirect: "manual",
  });
  const session = response.headers.getSetCookie().find((c) => c.startsWith("spamtrail_session="));
  return {
    status: response.status,
    text: await response.text(),
    session: session !== undefined,
    cookie: session?.split(";")[0] ?? null,
  };
}

/** Runs the checks as subtests of the dashboard test; they spend the rate limit of 127.0.0.1 last. */
export async function checkSignInSecurity(t: TestContext, target: SecurityTarget): Promise<void> {
  const { base, browser, password } = target;

  await t.test("a sign-in returns only to this site's pages: never another host, never a 500", async () => {
    for (const [next, landing] of [
      ["/.//evil.test/phish", "/"],
      ["/x/..//evil.test/", "/"],
      ["%2F%5Cevil.test%2F", "/"],
      ["/%E3%80%80/x", "/"],
      ["/users", "/users"],
      [encodeURIComponent("/messages?q=日本@example.jp"), "/messages?q=%E6%97%A5%E6%9C%AC@example.jp"],
    ] as const) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const failed: string[] = [];
        page.on("response", (r) => {
          if (r.status() >= 500) failed.push(`${r.status()} ${r.url()}`);
        });
        await signIn(page, base, next, password);
        await page.waitForURL((url) => url.pathname !== "/login", { timeout: 15_000 });
        assert.equal(page.url(), `${base}${landing}`, `next=${next}`);
        assert.deepEqual(failed, [], `next=${next}`);
      } finally {
        await context.close();
      }
    }
  });

  await t.test(
    "signing in and out works without JavaScript; a form from elsewhere is still refused",
    async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      try {
        const page = await context.newPage();
        await page.goto(`${base}/login?next=/users`);
        await page.fill("#username", "admin");
        await page.fill("#password", "not the password");
        await page.click("button[type=submit]");
        await page.getByRole("alert").getByText(WRONG).waitFor();
        await page.fill("#password", password);
        await page.click("button[type=submit]");
        await page.waitForURL(`${base}/users`);
        await page.getByRole("heading", { level: 1 }).waitFor();
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.waitForURL(/\/login$/);
      } finally {
        await context.close();
      }
      const forged = await postLogin(
        base,
        { username: "admin", password },
        { origin: "http://evil.example" },
      );
      assert.equal(forged.session, false, "a sign-in posted from another site starts no session");
    },
  );

  await t.test("bad addresses and parameters give a not-found page, never a 500", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await signIn(page, base, "/", password);
      await page.waitForURL(`${base}/`);
      const logged = target.output().length;
      for (const path of [
        "/findings/1?page=1e308",
        "/findings/1?page=-1",
        "/findings/abc",
        "/sources/0",
        "/messages/%FF%FE",
        "/users/%C0",
      ]) {
        const response = await page.goto(`${base}${path}`);
        assert.equal(response?.status(), 404, path);
        await page.getByRole("heading", { name: /^(Not found|No such finding)$/ }).waitFor();
      }
      const log = target.output().slice(logged);
      assert.doesNotMatch(log, /Error|Invalid character in header|⨯/, `errors in the server log:\n${log}`);
    } finally {
      await context.close();
    }
  });

  await t.test("parallel wrong passwords from one address: only the first 5 are checked (HTTP)", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => postLogin(base, { username: "admin", password: `guess ${i}` })),
    );
    const checked = results.filter((r) => r.text.includes(WRONG)).length;
    const refused = results.filter((r) => LIMITED.test(r.text)).length;
    assert.equal(checked, MAX_FAILURES_PER_IP, "passwords checked");
    assert.equal(refused, 20 - MAX_FAILURES_PER_IP, "refused unchecked");
  });

  await t.test(
    "a client's own X-Forwarded-For (or peer header) does not escape the per-address limit",
    async () => {
      const spoofed = await postLogin(
        base,
        { username: "admin", password: "another guess" },
        { "x-forwarded-for": "203.0.113.99", [PEER_HEADER]: "198.51.100.77" },
      );
      assert.match(spoofed.text, LIMITED);
      assert.match(target.output(), /login refused for "admin" from 127\.0\.0\.1: rate-limited/);
      assert.doesNotMatch(target.output(), /from (203\.0\.113\.99|198\.51\.100\.77)/);
    },
  );
}
