// spamtrail follow on PostgreSQL with a follower that stops and comes back with hours of its
// server's log: the correlating leader orders every server's lines by time up to the followers'
// marks (lib/store/postgres/watermark.ts), so the others' newer lines wait for its backlog, and the
// result equals one batch ingest of all the files into SQLite.
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { FOLLOW_MARK_KEY } from "../../lib/core/follow-status.ts";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import {
  correlatedThrough,
  LEADER_LOCK,
  lastStoredLineId,
} from "../../lib/store/postgres/correlation-store.ts";
import { generatedYear, generateLogSet } from "../bench/generated-logs.ts";
import { ingestedState, ingestedStatePostgres } from "../helpers/db-state.ts";
import { migratedPostgresDatabase, postgresSkip } from "../helpers/postgres.ts";
import { lineCount, lineCountPostgres } from "../helpers/stored-lines.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { waitFor } from "./check.ts";
import { followChild } from "./child.ts";
import { timeOf } from "./lab-feed.ts";

const skip = await postgresSkip();

/** A file, or every file under a directory. */
function filesUnder(source: string): string[] {
  if (!statSync(source).isDirectory()) return [source];
  return readdirSync(source, { recursive: true, encoding: "utf8" })
    .map((name) => path.join(source, name))
    .filter((file) => statSync(file).isFile());
}

/** A log's text before and after a time (lines without a time stay with the line before them). */
function splitAt(text: string, cut: number, year: number): [string, string] {
  const lines = text.split(/(?<=\n)/);
  const at = lines.findIndex((line) => line.trim() !== "" && timeOf(line, year) > cut);
  return at < 0 ? [text, ""] : [lines.slice(0, at).join(""), lines.slice(at).join("")];
}

describe("follow on PostgreSQL: a late follower", { skip }, () => {
  const database = () => migratedPostgresDatabase();

  test("a follower restarted hours of log later: the leader waits for its backlog, and the journeys equal one batch ingest of all files", async () => {
    // One server's roles on three hosts: the MX relays to the DSPAM filter host, which delivers
    // by LMTP to Dovecot on the IMAP host (whose lines the filter host's deliveries wait for).
    const logs = generateLogSet(
      "split-role-200-s11",
      ["--messages", "200", "--layout", "split-role", "--seed", "11", "--inject-faults", "0.05"],
      { splitHosts: true },
    );
    const year = generatedYear(logs);
    const sources: Record<string, string[]> = {
      mx: [path.join(logs.hostsDir, "mx", "mail.log")],
      filter: [path.join(logs.hostsDir, "filter", "mail.log"), logs.dspamDir],
      imap: [path.join(logs.hostsDir, "imap", "mail.log"), path.join(logs.hostsDir, "imap", "syslog")],
    };
    const hosts = Object.keys(sources);
    const { db } = openAppDatabase(path.join(tempDir("spamtrail-batch-"), "batch.db"));
    let expected: ReturnType<typeof ingestedState>;
    let lines: number;
    try {
      await ingestLogs(
        db,
        hosts.flatMap((host) => sources[host] as string[]),
        { year },
      );
      expected = ingestedState(db);
      lines = lineCount(db);
    } finally {
      db.close();
    }
    // Each host's files in a tree of its own, cut at the middle of the MX's log: the rest later.
    const mxLines = readFileSync(sources.mx?.[0] as string, "utf8").split("\n");
    const cut = timeOf(mxLines[Math.floor(mxLines.length / 2)] as string, year);
    const trees = Object.fromEntries(hosts.map((host) => [host, tempDir(`spamtrail-${host}-`)]));
    const rest = new Map<string, string>();
    for (const host of hosts)
      for (const source of sources[host] as string[])
        for (const file of filesUnder(source)) {
          const copy = path.join(trees[host] as string, path.relative(path.dirname(source), file));
          const [head, tail] = splitAt(readFileSync(file, "utf8"), cut, year);
          mkdirSync(path.dirname(copy), { recursive: true });
          writeFileSync(copy, head);
          rest.set(copy, tail);
        }
    const followed = (host: string) =>
      (sources[host] as string[]).map((source) => path.join(trees[host] as string, path.basename(source)));
    const appendRest = (host: string) => {
      for (const [file, tail] of rest)
        if (file.startsWith(`${trees[host]}${path.sep}`)) appendFileSync(file, tail);
    };
    const start = (host: string) =>
      followChild(url, followed(host), { FOLLOW_HOST: host, FOLLOW_YEAR: String(year) }, 240_000);
    const caughtUp = async () => (await correlatedThrough(pool)) >= (await lastStoredLineId(pool));

    const { url, pool } = await database();
    // The first start of all three: as in the next test, correlation waits until all have stored.
    const holder = await pool.connect();
    await holder.query("SELECT pg_advisory_lock($1)", [LEADER_LOCK]);
    const followers = Object.fromEntries(hosts.map((host) => [host, start(host)]));
    for (const follower of Object.values(followers)) await follower.said(/^following$/);
    await holder.query("SELECT pg_advisory_unlock($1)", [LEADER_LOCK]);
    holder.release();
    await waitFor(caughtUp, "the first half correlated", 60_000);

    // The IMAP host's follower stops; the others read the second half of their logs meanwhile.
    followers.imap?.child.kill("SIGTERM");
    await followers.imap?.said(/^stopped$/);
    appendRest("mx");
    appendRest("filter");
    const markOf = async (host: string) => {
      const { rows } = await pool.query<{ value: string }>(`SELECT "value" FROM "Setting" WHERE "key" = $1`, [
        `${FOLLOW_MARK_KEY}:${host}`,
      ]);
      return rows[0] ? (JSON.parse(rows[0].value) as { ts: number }).ts : 0;
    };
    const newest = (host: string) =>
      Math.max(
        ...[...rest]
          .filter(([file]) => file.startsWith(`${trees[host]}${path.sep}`))
          .flatMap(([, tail]) =>
            tail
              .split("\n")
              .filter((l) => l.trim())
              .map((l) => timeOf(l, year)),
          ),
      );
    for (const host of ["mx", "filter"]) {
      const last = newest(host);
      await waitFor(async () => (await markOf(host)) >= last, `${host}'s second half stored`, 60_000);
    }
    const imapMark = await markOf("imap");
    assert.ok(imapMark > 0 && imapMark <= cut, "the IMAP host's mark: its first half");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const until = await pool.query<{ value: string }>(
      `SELECT "value" FROM "Setting" WHERE "key" = 'correlatedUntil'`,
    );
    assert.ok(
      Number(until.rows[0]?.value) <= cut,
      "the others' second half waits for the stopped follower's",
    );

    const later = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Journey" WHERE "lastTs" > $1`,
      [new Date(cut).toISOString()],
    );
    assert.equal(later.rows[0]?.n, 0, "no journey of the second half yet");

    // It comes back with its backlog: what all stored is correlated in time order.
    appendRest("imap");
    followers.imap = start("imap");
    await followers.imap.said(/^following$/);
    await waitFor(async () => (await lineCountPostgres(pool)) === lines, "every line", 60_000);
    await waitFor(caughtUp, "every line correlated", 60_000);
    for (const follower of Object.values(followers)) follower.child.kill("SIGTERM");
    for (const follower of Object.values(followers)) {
      await follower.said(/^stopped$/);
      assert.equal((await follower.exited).code, 0, follower.stderr());
    }
    assert.deepEqual(await ingestedStatePostgres(pool), expected);
  });
});
