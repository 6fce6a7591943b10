import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import {
  AdminAccountError,
  applyAdminPasswordFromEnv,
  hasAdmin,
  setAdminPassword,
} from "../../lib/auth/admin-users.ts";
import {
  clientAddress,
  PEER_HEADER,
  ProxyTrustError,
  parseProxyTrust,
} from "../../lib/auth/client-address.ts";
import { contentSecurityPolicy, newNonce } from "../../lib/auth/csp.ts";
import { attemptLogin } from "../../lib/auth/login.ts";
import { isHttps, isSameOrigin, safeNextPath } from "../../lib/auth/origin.ts";
import { hashPassword, passwordProblem, verifyPassword } from "../../lib/auth/password.ts";
import {
  LOGIN_WINDOW_MS,
  loginBlocked,
  MAX_FAILURES_PER_IP,
  MAX_FAILURES_PER_USER,
  recordLoginAttempt,
} from "../../lib/auth/rate-limit.ts";
import { createSession, deleteSession, findSession, SESSION_TTL_MS } from "../../lib/auth/sessions.ts";
import { isTokenShaped, randomToken, tokensMatch } from "../../lib/auth/tokens.ts";
import { projectRoot } from "../../lib/core/paths.ts";
import { prismaFor } from "../../lib/db/prisma.ts";
import { maskSecrets } from "../../lib/queries/redact.ts";
import { tempDatabase } from "../helpers/temp-db.ts";

/** A fresh migrated SQLite file and its Prisma client. */
function database() {
  const { db, file } = tempDatabase();
  db.close();
  return { file, prisma: prismaFor(file) };
}

const headers = (values: Record<string, string>) => new Headers(values);
const T0 = new Date("2026-11-22T08:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

describe("password hashing", () => {
  test("stores scrypt$N$r$p$salt$hash with a fresh salt, and verifies", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    assert.match(a, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    assert.notEqual(a, b, "salted");
    assert.equal(await verifyPassword("correct horse battery", a), true);
    assert.equal(await verifyPassword("correct horse batterY", a), false);
    assert.equal(await verifyPassword("", a), false);
  });

  test("refuses malformed or denial-of-service hashes instead of throwing", async () => {
    const good = await hashPassword("correct horse battery");
    const parts = good.split("$");
    for (const bad of [
      "",
      "plain",
      `bcrypt$${parts.slice(1).join("$")}`,
      ["scrypt", 1 << 24, 8, 1, parts[4], parts[5]].join("$"),
      ["scrypt", 30000, 8, 1, parts[4], parts[5]].join("$"),
      ["scrypt", 32768, 8, 1, "", parts[5]].join("$"),
    ])
      assert.equal(await verifyPassword("correct horse battery", bad), false, bad);
  });

  test("the same password typed in another Unicode form still matches", async () => {
    const stored = await hashPassword("passwort-\u00fcber-alles");
    assert.equal(await verifyPassword("passwort-u\u0308ber-alles", stored), true);
  });

  test("new passwords must be long enough and not padded", () => {
    assert.match(passwordProblem("short") ?? "", /at least 10/);
    assert.match(passwordProblem(" padded password ") ?? "", /white space/);
    assert.equal(passwordProblem("long enough password"), null);
  });
});

describe("administrator account", () => {
  test("set-password creates the account, then changes it and signs its sessions out", async () => {
    const { prisma } = database();
    assert.equal(await hasAdmin(prisma), false);
    assert.deepEqual(await setAdminPassword(prisma, { username: "admin", password: "first password" }), {
      created: true,
    });
    const user = await prisma.adminUser.findUniqueOrThrow({ where: { username: "admin" } });
    assert.equal(user.passwordHash.includes("first password"), false);
    await createSession(prisma, { userId: user.id });
    assert.deepEqual(await setAdminPassword(prisma, { username: "admin", password: "second password" }), {
      created: false,
    });
    assert.equal(await prisma.authSession.count(), 0);
    const changed = await prisma.adminUser.findUniqueOrThrow({ where: { username: "admin" } });
    assert.equal(await verifyPassword("second password", changed.passwordHash), true);
  });

  test("refuses bad user names and short passwords", async () => {
    const { prisma } = database();
    await assert.rejects(
      setAdminPassword(prisma, { username: "a b", password: "long enough pw" }),
      AdminAccountError,
    );
    await assert.rejects(setAdminPassword(prisma, { username: "admin", password: "short" }), /at least 10/);
  });

  test("SPAMTRAIL_ADMIN_PASSWORD creates, keeps (no sign-out on restart) and changes the password", async () => {
    const { prisma } = database();
    assert.equal(await applyAdminPasswordFromEnv(prisma, {}), "unset");
    assert.equal(
      await applyAdminPasswordFromEnv(prisma, { SPAMTRAIL_ADMIN_PASSWORD: "from the env 1" }),
      "created",
    );
    const user = await prisma.adminUser.findUniqueOrThrow({ where: { username: "admin" } });
    await createSession(prisma, { userId: user.id });
    assert.equal(
      await applyAdminPasswordFromEnv(prisma, { SPAMTRAIL_ADMIN_PASSWORD: "from the env 1" }),
      "unchanged",
    );
    assert.equal(await prisma.authSession.count(), 1);
    assert.equal(
      await applyAdminPasswordFromEnv(prisma, { SPAMTRAIL_ADMIN_PASSWORD: "from the env 2" }),
      "changed",
    );
    assert.equal(
      await applyAdminPasswordFromEnv(prisma, {
        SPAMTRAIL_ADMIN_PASSWORD: "for someone else",
        SPAMTRAIL_ADMIN_USER: "ops",
      }),
      "created",
    );
  });
});

describe("sessions", () => {
  test("the database keeps only sha256 of the token; the session expires", async () => {
    const { prisma } = database();
    await setAdminPassword(prisma, { username: "admin", password: "a good password" });
    const user = await prisma.adminUser.findUniqueOrThrow({ where: { username: "admin" } });
    const { token, session } = await createSession(prisma, { userId: user.id, ip: "192.0.2.1", now: T0 });
    assert.equal(isTokenShaped(token), true);
    const row = await prisma.authSession.findUniqueOrThrow({ where: { id: session.id } });
    assert.equal(row.id, createHash("sha256").update(token).digest("hex"));
    assert.notEqual(row.csrfToken, token);
    assert.equal(row.expiresAt.getTime(), T0.getTime() + SESSION_TTL_MS);
    const found = await findSession(prisma, token, at(60_000));
    assert.equal(found?.username, "admin");
    assert.equal(found?.csrfToken, row.csrfToken);
    assert.equal(await findSession(prisma, token, at(SESSION_TTL_MS)), null, "expired");
    assert.equal(await findSession(prisma, randomToken(), at(1000)), null, "unknown");
    assert.equal(await findSession(prisma, "'; DROP TABLE AuthSession; --", at(1000)), null, "malformed");
    await deleteSession(prisma, token);
    assert.equal(await findSession(prisma, token, at(1000)), null, "logged out");
  });
});

describe("login and rate limit", () => {
  async function withAdmin() {
    const { prisma } = database();
    await setAdminPassword(prisma, { username: "admin", password: "the right password" });
    const login = (password: string, ip: string, now: Date, username = "admin") =>
      attemptLogin(prisma, { username, password, ip, userAgent: "test", now });
    return { prisma, login };
  }

  test("the right password starts a session; a wrong one or an unknown user does not", async () => {
    const { prisma, login } = await withAdmin();
    const ok = await login("the right password", "192.0.2.1", T0);
    assert.equal(ok.ok, true);
    assert.equal((await login("wrong password", "192.0.2.1", at(1000))).ok, false);
    assert.deepEqual(await login("the right password", "192.0.2.1", at(2000), "root"), {
      ok: false,
      reason: "invalid",
    });
    const attempts = await prisma.loginAttempt.findMany({ orderBy: { at: "asc" } });
    assert.deepEqual(
      attempts.map((a) => [a.username, a.ip, a.ok]),
      [
        ["admin", "192.0.2.1", true],
        ["admin", "192.0.2.1", false],
        ["root", "192.0.2.1", false],
      ],
      "every attempt is audited",
    );
  });

  test(`${MAX_FAILURES_PER_IP} failures from one address in 15 minutes refuse even the right password`, async () => {
    const { prisma, login } = await withAdmin();
    for (let i = 0; i < MAX_FAILURES_PER_IP; i += 1) {
      const result = await login(`guess ${i}`, "198.51.100.7", at(i * 1000));
      assert.deepEqual(result, { ok: false, reason: "invalid" }, `failure ${i + 1}`);
    }
    const refused = await login("the right password", "198.51.100.7", at(10_000));
    assert.equal(refused.ok, false);
    assert.equal(refused.ok === false && refused.reason, "rate-limited");
    if (refused.ok === false && refused.reason === "rate-limited") {
      assert.equal(refused.block.scope, "address");
      assert.equal(refused.block.retryAt.getTime(), T0.getTime() + LOGIN_WINDOW_MS);
    }
    // Another address is not affected; the blocked one works again once the window has passed.
    assert.equal((await login("the right password", "203.0.113.9", at(11_000))).ok, true);
    assert.equal((await login("the right password", "198.51.100.7", at(LOGIN_WINDOW_MS + 60_000))).ok, true);
    assert.equal(
      await prisma.loginAttempt.count({ where: { ip: "198.51.100.7", ok: false } }),
      6,
      "refusals are audited too",
    );
  });

  test("a successful login starts the count again", async () => {
    const { login } = await withAdmin();
    for (let i = 0; i < MAX_FAILURES_PER_IP - 1; i += 1) await login("typo", "192.0.2.50", at(i * 1000));
    assert.equal((await login("the right password", "192.0.2.50", at(5000))).ok, true);
    assert.deepEqual(await login("typo", "192.0.2.50", at(6000)), { ok: false, reason: "invalid" });
    assert.equal((await login("the right password", "192.0.2.50", at(7000))).ok, true);
  });

  test("parallel wrong passwords count each other: 20 at once from one address, 70 at once for one name", async () => {
    const checked = (results: Awaited<ReturnType<typeof attemptLogin>>[]) =>
      results.filter((r) => !r.ok && r.reason === "invalid").length;
    const one = await withAdmin();
    const fromOne = await Promise.all(
      Array.from({ length: 20 }, (_, i) => one.login(`guess ${i}`, "198.51.100.20", at(i))),
    );
    assert.equal(checked(fromOne), MAX_FAILURES_PER_IP, "passwords checked from one address");
    const many = await withAdmin();
    const fromMany = await Promise.all(
      Array.from({ length: 70 }, (_, i) => many.login(`guess ${i}`, `10.1.${i >> 8}.${i & 255}`, at(i))),
    );
    assert.equal(checked(fromMany), MAX_FAILURES_PER_USER, "passwords checked for one name");
  });

  test("failures for one user name from many addresses are limited too (spoofed X-Forwarded-For)", async () => {
    const { prisma } = await withAdmin();
    for (let i = 0; i < 50; i += 1)
      await recordLoginAttempt(prisma, {
        ip: `10.0.${i >> 8}.${i & 255}`,
        username: "admin",
        ok: false,
        now: at(i),
      });
    const block = await loginBlocked(prisma, { ip: "10.9.9.9", username: "admin", now: at(1000) });
    assert.equal(block?.scope, "user");
  });
});

describe("CSRF and request origin", () => {
  test("tokens match only exactly", () => {
    const token = randomToken();
    assert.equal(tokensMatch(token, token), true);
    assert.equal(tokensMatch(token, `${token}x`), false);
    assert.equal(tokensMatch(token, token.slice(0, -1)), false);
    assert.equal(tokensMatch(token, null), false);
    assert.equal(tokensMatch("", ""), false);
    assert.equal(tokensMatch(null, null), false);
  });

  test("mutations must come from our own origin", () => {
    assert.equal(isSameOrigin(headers({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" })), true);
    assert.equal(
      isSameOrigin(
        headers({
          host: "127.0.0.1:3000",
          "x-forwarded-host": "mail.example.com",
          origin: "https://mail.example.com",
        }),
      ),
      true,
      "behind a reverse proxy",
    );
    assert.equal(isSameOrigin(headers({ host: "127.0.0.1:3000", origin: "http://evil.example" })), false);
    assert.equal(isSameOrigin(headers({ host: "127.0.0.1:3000" })), false, "no Origin");
    assert.equal(isSameOrigin(headers({ host: "127.0.0.1:3000", origin: "null" })), false);
    assert.equal(
      isSameOrigin(
        headers({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000", "sec-fetch-site": "cross-site" }),
      ),
      false,
    );
  });

  test("the client address is the peer's; X-Forwarded-For only from proxies trusted by SPAMTRAIL_TRUST_PROXY", () => {
    const request = (peer: string | null, forwarded?: string) =>
      headers({
        ...(peer === null ? {} : { [PEER_HEADER]: peer }),
        ...(forwarded ? { "x-forwarded-for": forwarded } : {}),
      });
    const none = parseProxyTrust(undefined);
    assert.equal(clientAddress(request("198.51.100.9", "6.6.6.6"), none), "198.51.100.9", "not trusted");
    assert.equal(clientAddress(request("198.51.100.9", "6.6.6.6"), parseProxyTrust("0")), "198.51.100.9");
    assert.equal(clientAddress(request(null, "6.6.6.6"), none), "unknown", "no peer known");
    const all = parseProxyTrust("1");
    assert.equal(clientAddress(request("127.0.0.1", "6.6.6.6, 192.0.2.10"), all), "192.0.2.10");
    assert.equal(clientAddress(request("127.0.0.1"), all), "127.0.0.1", "no header: the peer");
    const listed = parseProxyTrust("127.0.0.1, 10.0.0.0/8 2001:db8::/32");
    assert.equal(clientAddress(request("::ffff:127.0.0.1", "203.0.113.5, 10.1.2.3"), listed), "203.0.113.5");
    assert.equal(clientAddress(request("2001:db8::1", "203.0.113.6"), listed), "203.0.113.6");
    assert.equal(
      clientAddress(request("198.51.100.9", "203.0.113.5"), listed),
      "198.51.100.9",
      "not a proxy",
    );
    for (const bad of ["yes", "10.0.0.0/33", "300.1.1.1", "127.0.0.1/8/1"])
      assert.throws(() => parseProxyTrust(bad), ProxyTrustError, bad);
  });

  test("scheme and the page to return to", () => {
    assert.equal(isHttps(headers({ "x-forwarded-proto": "https" })), true);
    assert.equal(isHttps(headers({ "x-forwarded-proto": "http" }), "https://x/"), false);
    assert.equal(isHttps(headers({}), "https://x/"), true);
    for (const [value, want] of [
      ["/messages?q=x", "/messages?q=x"],
      ["//evil.example/", "/"],
      ["/\\evil.example", "/"],
      ["https://evil.example/", "/"],
      ["javascript:alert(1)", "/"],
      ["/login?next=/", "/"],
      [null, "/"],
      // Paths a browser resolves to another host.
      ["/.//evil.test/phish", "/"],
      ["/x/..//evil.test/", "/"],
      ["/messages/../..//evil.test/", "/"],
      ["/\t/evil.test/", "/"],
      ["/%2e%2e//evil.test/", "/"],
      // Only pages the dashboard serves.
      ["/nothing-here", "/"],
      ["/_next/static/x.js", "/"],
      ["/?range=7d", "/?range=7d"],
      ["/users/bob@example.com", "/users/bob@example.com"],
      // Non-ASCII is percent-encoded: a Location header must be ASCII.
      ["/%E3%80%80/x", "/"],
      ["/messages/\u65e5\u672c@example.jp", "/messages/%E6%97%A5%E6%9C%AC@example.jp"],
      ["/messages?q=\u3000", "/messages?q=%E3%80%80"],
    ] as const)
      assert.equal(safeNextPath(value), want, String(value));
  });

  test("every section of the dashboard is a place to return to after signing in", () => {
    const sections = readdirSync(path.join(projectRoot(), "app", "(dashboard)"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `/${entry.name}`);
    assert.ok(sections.length >= 4, sections.join(" "));
    for (const section of sections) assert.equal(safeNextPath(section), section);
  });

  test("the Content-Security-Policy allows only our scripts with this response's nonce", () => {
    const nonce = newNonce();
    const csp = contentSecurityPolicy(nonce, { dev: false, https: false });
    assert.match(csp, new RegExp(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'(;|$)`));
    assert.match(csp, /object-src 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|upgrade-insecure-requests/);
    assert.match(contentSecurityPolicy(nonce, { dev: false, https: true }), /upgrade-insecure-requests/);
    assert.notEqual(newNonce(), nonce);
  });
});

describe("raw lines shown in the dashboard", () => {
  test("Dovecot's given password is masked, whatever it contains", () => {
    assert.equal(
      maskSecrets(
        "auth(info@example.com,192.0.2.110,sasl:login)<CvN+E95Uf4e7eEnj>: Info: sql: Password mismatch (given password: XxxxXXxx123)",
      ),
      "auth(info@example.com,192.0.2.110,sasl:login)<CvN+E95Uf4e7eEnj>: Info: sql: Password mismatch (given password: •••)",
    );
    assert.equal(
      maskSecrets("auth: passwd-file(alice,1.2.3.4): unknown user (SHA1 of given password: 011c94)"),
      "auth: passwd-file(alice,1.2.3.4): unknown user (SHA1 of given password: •••)",
    );
    assert.equal(
      maskSecrets("Password mismatch (given password: a)b) c)"),
      "Password mismatch (given password: •••)",
    );
    assert.equal(maskSecrets("postfix/smtpd[1]: connect from x"), "postfix/smtpd[1]: connect from x");
  });
});
