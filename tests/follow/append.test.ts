import { test } from "node:test";
import { follow } from "../../lib/ingest/follow/follow.ts";
import { tempDatabase } from "../helpers/temp-db.ts";
import { assertSameAsBatch, assertStoredExactly, lineCount, waitFor } from "./check.ts";
import { append, chunks, type Entry, expectedLines, labFeed } from "./lab-feed.ts";
import { logTree, TEST_OPTIONS } from "./options.ts";

test("appended lines and DSPAM user logs created while following: each stored once, journeys as batch ingest makes them", async () => {
  const tree = logTree();
  const { db } = tempDatabase();
  const handle = await follow(db, tree.follow, TEST_OPTIONS);
  const written: Entry[] = [];
  for (const chunk of chunks(labFeed(), 12)) {
    append(tree.root, chunk);
    written.push(...chunk);
    await waitFor(() => lineCount(db) === expectedLines(written), `${expectedLines(written)} lines stored`);
  }
  await handle.stop();
  assertStoredExactly(db, written);
  await assertSameAsBatch(db, tree.root);
});
