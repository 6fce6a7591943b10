// npm run bench:web [-- --lines 5000000 --runs 30 --db postgresql://… --only "finding,free text"]
// Server response times of the dashboard (median, p95) on a database built from a generated log:
// genlog.py → spamtrail ingest (once, cached in tests/.artifacts/bench-web/) → next start → log in
// → time the overview, searches, drill-downs and the other pages, each request read to the end.
// With --db postgresql://… the same database is served from PostgreSQL: copied there once from the
// cached SQLite file (spamtrail migrate --copy-from) when that database holds no lines yet.

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openDatabase } from "../../lib/db/connection.ts";
import { postgresPool } from "../../lib/db/postgres.ts";
import { buildForTests, ROOT, startApp } from "../e2e/harness.ts";
import { argument, fmt } from "./generated-logs.ts";
import { percentile } from "./stats.ts";

const lines = Number(argument("lines", "5000000"));
const runs = Number(argument("runs", "30"));
const seed = argument("seed", "7");
const postgresUrl = argument("db", "") || undefined;
// --only "finding,free text": just the rows whose names hold one of these words.
const only = argument("only", "")
  .split(",")
  .map((word) => word.trim().toLowerCase())
  .filter(Boolean);
if (postgresUrl && !/^postgres(ql)?:\/\//.test(postgresUrl)) {
  console.error(
    `bench:web: --db takes a postgresql:// URL (the SQLite file is the cached one), not ${postgresUrl}`,
  );
  process.exit(2);
}
const dir = path.join(
  ROOT,
  "tests",
  ".artifacts",
  "bench-web",
  lines === 5_000_000 && seed === "7" ? "" : `${lines}-${seed}`,
);
const logs = path.join(dir, "logs");
const truth = path.join(dir, "truth.json");
const dbFile = path.join(dir, "web.db");
const ready = `${dbFile}.ready`;

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status})`);
}

// 1. The log (genlog.py, standard library only) and its database, both cached.
if (!existsSync(truth)) {
  mkdirSync(logs, { recursive: true });
  console.log(`generating a ${fmt(lines)}-line log in ${logs} …`);
  run("python3", [
    path.join(ROOT, "tests/bench/genlog/genlog.py"),
    ...["--lines", String(lines), "--seed", seed],
    ...["--dspam-dir", path.join(logs, "dspam"), "--syslog-out", path.join(logs, "syslog")],
    ...["-o", path.join(logs, "mail.log"), "--truth", truth],
  ]);
}
if (!existsSync(ready)) {
  // Classic syslog dates have no year: the generator's start year, so DSPAM's epoch records match.
  const year = String(JSON.parse(readFileSync(truth, "utf8")).params.start).slice(0, 4);
  console.log(`ingesting ${logs} into ${dbFile} (minutes) …`);
  run(process.execPath, [
    path.join(ROOT, "lib/cli/spamtrail.mjs"),
    "ingest",
    "--db",
    dbFile,
    "--year",
    year,
    logs,
  ]);
  writeFileSync(ready, new Date().toISOString());
}

// A database cached by an older checkout gets this one's migrations (the search's indexes).
run(process.execPath, [path.join(ROOT, "lib/cli/spamtrail.mjs"), "migrate", "--db", dbFile]);
if (postgresUrl) await copyToPostgres(postgresUrl);

/** Migrates the PostgreSQL database; copies the cached SQLite database into it when it holds no lines. */
async function copyToPostgres(url: string): Promise<void> {
  run(process.execPath, [path.join(ROOT, "lib/cli/spamtrail.mjs"), "migrate", "--db", url]);
  const pool = postgresPool(url, { max: 1, application: "spamtrail bench:web" });
  try {
    const { rows } = await pool.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM "LineKey") AS "any"`);
    if (rows[0]?.any) return;
  } finally {
    await pool.end();
  }
  console.log(`copying ${dbFile} into PostgreSQL (minutes) …`);
  run(process.execPath, [
    path.join(ROOT, "lib/cli/spamtrail.mjs"),
    "migrate",
    "--db",
    url,
    "--copy-from",
    dbFile,
  ]);
  // Fresh tables: the planner needs their statistics before the first query.
  const analyze = postgresPool(url, { max: 1, application: "spamtrail bench:web" });
  try {
    await analyze.query("ANALYZE");
  } finally {
    await analyze.end();
  }
}

// 2. What to ask for: real values picked from the database.
const db = openDatabase(dbFile, { readonly: true });
const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T;
const counts = Object.fromEntries(
  ["LineKey", "Journey", "Delivery", "Verdict", "Training", "FindingEvidence"].map((t) => [
    t,
    one<{ n: number }>(`SELECT count(*) AS n FROM ${t}`).n,
  ]),
);
const sample = (sql: string, n: number) => (db.prepare(sql).all(n) as { v: string }[]).map((r) => r.v);
const messageIds = sample(
  `SELECT messageId AS v FROM Journey WHERE messageId IS NOT NULL AND id % 997 = 0 LIMIT ?`,
  5,
);
const queueIds = sample(`SELECT queueId AS v FROM JourneyQueue WHERE id % 1009 = 0 LIMIT ?`, 5);
const sender = one<{ v: string }>(
  `SELECT sender AS v FROM Journey WHERE sender <> '' GROUP BY sender ORDER BY count(*) DESC LIMIT 1`,
).v;
const recipient = one<{ v: string }>(
  `SELECT recipient AS v FROM Delivery WHERE destination = 'mailbox' GROUP BY recipient ORDER BY count(*) DESC LIMIT 1`,
).v;
const dspamUser = one<{ v: string }>(
  `SELECT filterUser AS v FROM Verdict GROUP BY filterUser ORDER BY count(*) DESC LIMIT 1`,
).v;
const bigFinding = one<{ id: number } | undefined>(`SELECT id FROM Finding ORDER BY count DESC LIMIT 1`)?.id;
const anyFinding = one<{ kind: string } | undefined>(
  `SELECT kind FROM Finding ORDER BY count DESC LIMIT 1`,
)?.kind;
// What an admin remembers instead: the alias written (orig_to), a domain, the client, part of a
// Message-ID, a subject word; the new search's indexes (migration search_terms) answer these.
const alias = one<{ v: string } | undefined>(
  `SELECT origRecipient AS v FROM Delivery WHERE origRecipient IS NOT NULL AND origRecipient <> recipient
   GROUP BY origRecipient ORDER BY count(*) DESC LIMIT 1`,
)?.v;
const domain = recipient.split("@")[1] ?? recipient;
const rareDomain = one<{ v: string } | undefined>(
  `SELECT term AS v FROM SearchTerm WHERE field = 'rcpt-domain' GROUP BY term ORDER BY count(*) ASC LIMIT 1`,
)?.v;
const clientIp = one<{ v: string } | undefined>(
  `SELECT clientIp AS v FROM Journey WHERE clientIp IS NOT NULL AND clientIp <> '127.0.0.1' AND id % 499 = 0 LIMIT 1`,
)?.v;
const idPart = messageIds[0]?.split(/[.@]/).find((part) => part.length >= 6);
// The first sampled subject with a plain word (some are a single non-ASCII word: "Überweisung").
const subjectWord = sample(
  `SELECT subject AS v FROM Journey WHERE subject IS NOT NULL AND id % 701 = 0 LIMIT ?`,
  20,
)
  .flatMap((subject) => subject.split(/\s+/))
  .find((w) => /^[A-Za-z]{5,}$/.test(w));
db.close();

const q = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;
/** Search cases whose value the database may lack (then the row is left out). */
function optionalCases(cases: [string, string | undefined | null | false][]): Case[] {
  return cases.flatMap(([name, path]) =>
    path
      ? [
          {
            group: "search" as const,
            name,
            paths: [path],
            target: name.startsWith("export") ? undefined : 300,
          },
        ]
      : [],
  );
}
const enc = encodeURIComponent;
type Case = {
  group: "overview" | "search" | "drill-down" | "other";
  name: string;
  paths: string[];
  target?: number;
};
const CASES: Case[] = [
  { group: "overview", name: "overview (all data)", paths: ["/"], target: 300 },
  { group: "overview", name: "overview (last day)", paths: ["/?range=1d"], target: 300 },
  { group: "search", name: "messages, first page", paths: ["/messages"], target: 300 },
  { group: "search", name: "messages, page 2", paths: ["/messages?page=2"], target: 300 },
  { group: "search", name: "messages, page 40 of 200", paths: ["/messages?page=40&size=200"], target: 300 },
  {
    group: "search",
    name: "search by queue id",
    paths: queueIds.map((id) => `/messages${q({ q: id })}`),
    target: 300,
  },
  {
    group: "search",
    name: "search by Message-ID",
    paths: messageIds.map((id) => `/messages${q({ q: id })}`),
    target: 300,
  },
  { group: "search", name: "search by busiest sender", paths: [`/messages${q({ sender })}`], target: 300 },
  {
    group: "search",
    name: "search by busiest recipient",
    paths: [`/messages${q({ recipient })}`],
    target: 300,
  },
  {
    group: "search",
    name: "DSPAM user + spam",
    paths: [`/messages${q({ dspam: dspamUser, verdict: "spam" })}`],
    target: 300,
  },
  {
    group: "search",
    name: "authenticated + not filtered",
    paths: [`/messages${q({ origin: "authenticated", verdict: "none" })}`],
    target: 300,
  },
  ...(anyFinding
    ? [
        {
          group: "search" as const,
          name: `finding ${anyFinding}`,
          paths: [`/messages${q({ finding: anyFinding })}`],
          target: 300,
        },
      ]
    : []),
  ...optionalCases([
    ["recipient = alias written (orig_to)", alias && `/messages${q({ recipient: alias })}`],
    ["queue id in lower case", `/messages${q({ q: (queueIds[0] ?? "").toLowerCase() })}`],
    ["recipient domain (busiest)", `/messages${q({ recipient: `@${domain}` })}`],
    ["recipient domain (rarest)", rareDomain && `/messages${q({ recipient: `@${rareDomain}` })}`],
    ["client IP", clientIp && `/messages${q({ client: clientIp })}`],
    ["part of a Message-ID", idPart && `/messages${q({ msgid: idPart })}`],
    ["subject word", subjectWord && `/messages${q({ text: subjectWord })}`],
    ["free text: a domain", `/messages${q({ q: domain })}`],
    ["status deferred", "/messages?status=deferred"],
    ["status bounced", "/messages?status=bounced"],
    ["status queued", "/messages?status=queued"],
    ["status in progress", "/messages?status=in-progress"],
    ["sorted by sender", "/messages?sort=sender"],
    ["sorted by recipient", "/messages?sort=recipient"],
    ["oldest first", "/messages?sort=oldest"],
    ["export CSV (first 10,000)", `/messages/export${q({ recipient: `@${domain}`, format: "csv" })}`],
  ]),
  {
    group: "drill-down",
    name: "drill-down by Message-ID",
    paths: messageIds.map((id) => `/messages/${enc(id)}`),
    target: 100,
  },
  {
    group: "drill-down",
    name: "drill-down by queue id",
    paths: queueIds.map((id) => `/messages/${enc(id)}`),
    target: 100,
  },
  { group: "other", name: "findings", paths: ["/findings"] },
  ...(bigFinding
    ? [{ group: "other" as const, name: "biggest finding, page 1", paths: [`/findings/${bigFinding}`] }]
    : []),
  { group: "other", name: "users", paths: ["/users"] },
  { group: "other", name: "user detail (busiest)", paths: [`/users/${enc(recipient)}`] },
  { group: "other", name: "sources", paths: ["/sources"] },
];

// 3. Build, start, sign in through the login form (the no-JavaScript form post).
const built = buildForTests();
console.log(built.built ? `next build: ${(built.ms / 1000).toFixed(0)} s` : "next build: up to date");
const password = randomBytes(18).toString("base64url");
const app = await startApp({
  dbFile,
  ...(postgresUrl ? { databaseUrl: postgresUrl } : {}),
  env: { SPAMTRAIL_ADMIN_PASSWORD: password },
});

async function signIn(): Promise<string> {
  const page = await fetch(`${app.url}/login`);
  const loginCookie = (page.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const html = await page.text();
  const form = new FormData();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g)) {
    const value = (m[2] ?? "").replaceAll("&quot;", '"').replaceAll("&amp;", "&");
    form.append(m[1] ?? "", value);
  }
  form.append("username", "admin");
  form.append("password", password);
  const response = await fetch(`${app.url}/login`, {
    method: "POST",
    body: form,
    redirect: "manual",
    headers: { cookie: loginCookie, origin: app.url },
  });
  const session = response.headers.getSetCookie().find((c) => c.startsWith("spamtrail_session="));
  if (!session) throw new Error(`login failed: HTTP ${response.status}`);
  return session.split(";")[0] ?? "";
}

try {
  const cookie = await signIn();
  const get = async (p: string) => {
    const started = performance.now();
    const response = await fetch(`${app.url}${p}`, { headers: { cookie }, redirect: "manual" });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${p}: HTTP ${response.status}`);
    return { ms: performance.now() - started, bytes: body.length };
  };
  console.log(
    `\ndatabase: ${postgresUrl ? `PostgreSQL (a copy of ${dbFile})` : dbFile}\n  ${Object.entries(counts)
      .map(([t, n]) => `${t} ${fmt(n)}`)
      .join(" · ")}\n` +
      `  ${runs} timed requests per row after 2 warm-ups, one at a time; full response (streamed HTML read to the end).\n` +
      '  Overview, users and findings aggregates are remembered for 15 s (stale-while-revalidate): "first" is the cold\n' +
      "  request that computes them, the median what a user sees while the figures stay fresh.\n",
  );
  console.log(
    `${"page".padEnd(34)} ${"first".padStart(8)} ${"median".padStart(8)} ${"p95".padStart(8)} ${"max".padStart(8)} ${"KiB".padStart(6)}  target (median)`,
  );
  const misses: string[] = [];
  for (const c of CASES.filter((c) => !only.length || only.some((w) => c.name.toLowerCase().includes(w)))) {
    // "first": the first request after the server started (nothing cached yet for this page).
    const first = (await get(c.paths[0] as string)).ms;
    for (const p of c.paths) for (let i = 0; i < 2; i += 1) await get(p);
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < runs; i += 1) {
      const r = await get(c.paths[i % c.paths.length] as string);
      times.push(r.ms);
      bytes = r.bytes;
    }
    times.sort((a, b) => a - b);
    const median = percentile(times, 50);
    const verdict =
      c.target === undefined ? "" : median <= c.target ? `< ${c.target} ms ok` : `< ${c.target} ms MISSED`;
    if (c.target !== undefined && median > c.target) misses.push(c.name);
    console.log(
      `${c.name.padEnd(34)} ${first.toFixed(0).padStart(6)} ms ${median.toFixed(0).padStart(6)} ms ${percentile(times, 95).toFixed(0).padStart(5)} ms ${(times.at(-1) ?? 0).toFixed(0).padStart(5)} ms ${(bytes / 1024).toFixed(0).padStart(6)}  ${verdict}`,
    );
  }
  console.log(misses.length ? `\nmissed targets: ${misses.join(", ")}` : "\nall targets met");
} finally {
  await app.stop();
}
