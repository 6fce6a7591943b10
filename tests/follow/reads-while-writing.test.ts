// The dashboard keeps answering while `spamtrail follow` writes: its queries, from another process,
// never fail (no SQLITE_BUSY) and see the data grow, also while a write transaction is held open.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, test } from "node:test";
import { projectRoot } from "../../lib/core/paths.ts";
import { prismaFor } from "../../lib/db/prisma.ts";
import { listFindings } from "../../lib/queries/finding-list.ts";
import { searchMessages } from "../../lib/queries/messages.ts";
import { getOverview } from "../../lib/queries/stats.ts";
import { getUserHealth } from "../../lib/queries/users.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { waitFor } from "./check.ts";
import { append, chunks, type Entry, expectedLines, labFeed } from "./lab-feed.ts";
import { logTree } from "./options.ts";

test("dashboard queries from another process never fail while follow writes", async () => {
  const tree = logTree();
  const dbFile = path.join(tempDir("spamtrail-db-"), "follow.db");
  // Each write transaction sleeps 30 ms while it holds SQLite's write lock.
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join("tests", "follow", "follow-child.ts"), dbFile, ...tree.follow],
    {
      cwd: projectRoot(),
      env: { ...process.env, FOLLOW_SLOW_BATCH_MS: "30" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  after(() => child.kill("SIGKILL"));
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  await waitFor(() => /^following$/m.test(out), `follow to start (${out})`, 30_000);

  const prisma = prismaFor(dbFile);
  const range = { since: new Date(2000, 0, 1), until: new Date(2100, 0, 1) };
  const errors: string[] = [];
  const seen: number[] = [];
  let writing = true;
  const reader = (async () => {
    while (writing) {
      try {
        const [lines, , page] = await Promise.all([
          prisma.lineKey.count(),
          getOverview(range, prisma),
          searchMessages({}, { size: 50 }, prisma),
          listFindings({}, prisma),
          getUserHealth({}, prisma),
        ]);
        assert.ok(page.rows.length <= 50);
        seen.push(lines);
      } catch (error) {
        errors.push((error as Error).message);
      }
      // Prisma's SQLite adapter answers without leaving the microtask queue: let timers run.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();

  const written: Entry[] = [];
  for (const chunk of chunks(labFeed(), 8)) {
    append(tree.root, chunk);
    written.push(...chunk);
    await waitFor(
      async () => (await prisma.lineKey.count()) === expectedLines(written),
      `${expectedLines(written)} lines (${out.slice(-500)})`,
      30_000,
    );
  }
  writing = false;
  await reader;
  child.kill("SIGTERM");
  await waitFor(() => /^stopped$/m.test(out), "follow to stop", 30_000);
  await prisma.$disconnect();

  assert.deepEqual(errors, [], "no dashboard query failed");
  assert.ok(seen.length >= 8, `${seen.length} rounds of reads`);
  const [first = 0, last = 0] = [seen[0], seen.at(-1)];
  assert.ok(last > first, `lines seen grew: ${first} → ${last}`);
});
