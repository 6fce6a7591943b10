import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { openDatabase } from "../lib/db/connection.ts";
import { listMigrations, migrate } from "../lib/db/migrate.ts";
import { ingest } from "../lib/ingest/ingest.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { storedLines } from "./helpers/stored-lines.ts";
import { tempDatabase } from "./helpers/temp-db.ts";
import { tempDir } from "./helpers/temp-dir.ts";

const MAIL_LOG = path.join(LAB_LOGS, "var/log/mail.log");

test("lines stored one row each before line blocks are moved whole: same ids, provenance, text and keys", async () => {
  // What an older Spamtrail stored: the lab's maillog in Line rows, with one line that had an issue.
  const reference = tempDatabase();
  await ingest(reference.db, [MAIL_LOG], { year: LAB_YEAR });
  const lines = storedLines(reference.db);
  const keys = new Map(
    (reference.db.prepare("SELECT id, key FROM LineKey").all() as { id: number; key: Buffer }[]).map(
      (row) => [row.id, row.key],
    ),
  );
  const file = path.join(tempDir("spamtrail-old-"), "old.db");
  const old = openDatabase(file);
  migrate(
    old,
    listMigrations().filter((m) => m.name < "20261206140000_line_blocks"),
  );
  old.exec(`ATTACH '${reference.file}' AS ref; INSERT INTO Source SELECT * FROM ref.Source; DETACH ref`);
  const insert = old.prepare(
    `INSERT INTO Line (id, sourceId, lineNo, byteOffset, ts, host, program, pid, event, raw, key)
     VALUES (?, ?, ?, ?, ?, 'mail', 'postfix/smtpd', 1, ?, ?, ?)`,
  );
  for (const l of lines)
    insert.run(l.id, l.sourceId, l.lineNo, l.byteOffset, l.ts, l.event, l.text, keys.get(l.id));
  const withIssue = lines[7];
  assert.ok(withIssue);
  old
    .prepare(`INSERT INTO LineIssue (lineId, sourceId, reason, detail) VALUES (?, ?, 'unparsed', 'test')`)
    .run(withIssue.id, withIssue.sourceId);

  assert.equal(migrate(old)[0], "20261206140000_line_blocks");
  assert.deepEqual(storedLines(old), lines);
  const issue = old.prepare("SELECT lineId, key FROM LineIssue").get() as { lineId: number; key: Buffer };
  assert.deepEqual(issue, { lineId: withIssue.id, key: keys.get(withIssue.id) });
  const blocks = old.prepare("SELECT id, lastSecond FROM LineBlock ORDER BY id").all() as {
    id: number;
    lastSecond: number;
  }[];
  assert.deepEqual(
    blocks,
    lines.map((l) => ({ id: l.id, lastSecond: keys.get(l.id)?.readUInt32BE(0) })),
  );

  // The keys still recognise the lines: reading the file again from its start adds nothing.
  old.exec(
    `UPDATE Source SET "offset" = 0, nextLineNo = 1, tailOffset = 0, tailHash = NULL, tailCounts = NULL`,
  );
  const again = await ingest(old, [MAIL_LOG], { year: LAB_YEAR });
  assert.equal(again.totals.fresh, 0);
  assert.equal(again.totals.known, lines.length);
  old.close();
});
