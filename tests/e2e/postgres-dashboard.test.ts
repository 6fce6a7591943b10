// The dashboard on PostgreSQL: the same data (the lab, copied by spamtrail migrate --copy-from)
// served from SQLite and from PostgreSQL, page by page, as the server sends them. No browser: the
// pages' code is the same on both; what differs is only where their queries run.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { findingHref, messageHref, userHref } from "../../components/links.ts";
import { localDate } from "../../lib/core/format.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import { LAB_LOGS, LAB_YEAR } from "../helpers/fixtures.ts";
import { freshPostgresDatabase, postgresSkip } from "../helpers/postgres.ts";
import { runCli } from "../helpers/run-cli.ts";
import { tempDatabase } from "../helpers/temp-db.ts";
import { buildForTests, copyBuild, type RunningApp, startApp } from "./harness.ts";
import { postLogin } from "./security-checks.ts";

const skip = await postgresSkip();
const PASSWORD = "correct horse battery staple";
const DUPLICATE_ID = "20261122032656.5f903295ed.b07@supplier.example.net";

type Signed = { app: RunningApp; cookie: string };
const apps: Signed[] = [];
let findingId = 0;
// Search values from the lab's own messages (read in before()).
let subjectWord = "";
let messageIdPart = "";

async function signedIn(app: RunningApp): Promise<Signed> {
  const { cookie } = await postLogin(app.url, { username: "admin", password: PASSWORD });
  assert.ok(cookie, `signed in on ${app.url}`);
  return { app, cookie };
}

/**
 * What a page says: its text nodes, sorted. Sections behind Suspense come inline or streamed at the
 * end of the document depending on how fast their queries answer, so their order is not compared.
 */
async function pageText({ app, cookie }: Signed, href: string): Promise<{ status: number; text: string[] }> {
  const response = await fetch(`${app.url}${href}`, { headers: { cookie } });
  const html = await response.text();
  const body = /<body[\s\S]*<\/body>/.exec(html)?.[0] ?? html;
  const text = body
    .replace(/<(script|style|template)[\s\S]*?<\/\1>/g, "")
    .split(/<[^>]*>/)
    .map((node) => node.replace(/\s+/g, " ").trim())
    // When the page's figures were read (now, not the lab's dates): differs between the two servers.
    .map((node) => node.replaceAll(new RegExp(`${localDate(new Date())} \\d\\d:\\d\\d:\\d\\d`, "g"), "(now)"))
    .filter((node) => node !== "")
    .sort();
  return { status: response.status, text };
}

describe("the dashboard on PostgreSQL", { skip }, () => {
  before(async () => {
    buildForTests();
    const distDir = copyBuild(".next-test-pg");
    const sqlite = tempDatabase();
    await ingestLogs(sqlite.db, [LAB_LOGS], { year: LAB_YEAR });
    findingId = (
      sqlite.db.prepare("SELECT min(id) AS id FROM Finding WHERE count > 0").get() as { id: number }
    ).id;
    const subject = (
      sqlite.db
        .prepare("SELECT subject AS v FROM Journey WHERE subject GLOB '*[a-z][a-z][a-z]*' LIMIT 1")
        .get() as {
        v: string;
      }
    ).v;
    subjectWord = subject.split(/[^\p{L}\p{N}]+/u).find((w) => w.length >= 3) ?? "";
    messageIdPart = DUPLICATE_ID.split("@")[0]?.split(".").slice(1).join(".") ?? "";
    const url = await freshPostgresDatabase();
    const copied = await runCli(["migrate", "--db", url, "--copy-from", sqlite.file]);
    assert.equal(copied.code, 0, copied.stderr);
    const env = { SPAMTRAIL_ADMIN_PASSWORD: PASSWORD };
    for (const app of [
      await startApp({ dbFile: sqlite.file, distDir, env }),
      await startApp({ dbFile: sqlite.file, databaseUrl: url, distDir, env }),
    ])
      apps.push(await signedIn(app));
  });
  after(async () => {
    for (const { app } of apps) await app.stop();
  });

  const pages = () => [
    "/",
    "/?range=all",
    "/messages",
    `/messages?q=${encodeURIComponent("pager@example.com")}`,
    "/messages?verdict=spam&origin=inbound",
    `/messages?q=${encodeURIComponent(subjectWord)}`,
    `/messages?text=${encodeURIComponent(subjectWord)}&sort=sender`,
    `/messages?msgid=${encodeURIComponent(messageIdPart)}`,
    "/messages?q=example.com&size=25&page=2",
    "/messages?recipient=%40example.com&state=delivered&sort=recipient",
    "/messages?state=bounced&sort=oldest",
    "/messages?finding=duplicate-delivery",
    messageHref(DUPLICATE_ID),
    "/findings",
    findingHref(findingId),
    "/users",
    userHref("bob@example.com"),
    "/sources",
  ];
  test("every page shows the same on PostgreSQL as on SQLite", async () => {
    const [onSqlite, onPostgres] = apps as [Signed, Signed];
    for (const href of pages()) {
      const a = await pageText(onSqlite, href);
      const b = await pageText(onPostgres, href);
      assert.equal(a.status, 200, `${href} on SQLite`);
      assert.equal(b.status, 200, `${href} on PostgreSQL:\n${onPostgres.app.output().slice(-2000)}`);
      assert.ok(a.text.length > 20, href);
      assert.ok(
        !b.text.some((node) => node.startsWith("The server failed")),
        `${href}:\n${onPostgres.app.output()}`,
      );
      assert.deepEqual(b.text, a.text, href);
    }
  });
});
