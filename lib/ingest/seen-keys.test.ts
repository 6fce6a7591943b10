import assert from "node:assert/strict";
import { test } from "node:test";
import { identityHash } from "./line-key.ts";
import { SeenKeys } from "./seen-keys.ts";

const SECOND = 1_795_000_000;
const hash = (text: string) => identityHash(text);

/** A store that remembers what was committed, and counts how often it is asked. */
function store(stored: [number, string][]) {
  const keys = new Set(stored.map(([second, text]) => `${second}:${JSON.stringify(hash(text))}`));
  const asked: number[] = [];
  return {
    asked,
    isStored: (second: number, h: { high: number; low: number }) => {
      asked.push(second);
      return keys.has(`${second}:${JSON.stringify(h)}`);
    },
  };
}

test("a key is new once per run; the store is not asked for seconds after its newest line", () => {
  const db = store([]);
  const seen = new SeenKeys(SECOND - 1, db.isStored);
  assert.equal(seen.add(SECOND, hash("a"), 1), true);
  assert.equal(seen.add(SECOND, hash("b"), 1), true);
  assert.equal(seen.add(SECOND, hash("a"), 1), false);
  assert.equal(seen.add(SECOND + 1, hash("a"), 1), true);
  assert.deepEqual(db.asked, []);
});

test("seconds an earlier run may have stored lines in are asked of the store", () => {
  const db = store([[SECOND, "a"]]);
  const seen = new SeenKeys(SECOND, db.isStored);
  assert.equal(seen.add(SECOND, hash("a"), 1), false);
  assert.equal(seen.add(SECOND, hash("b"), 1), true);
  assert.equal(seen.add(SECOND, hash("b"), 1), false);
  assert.deepEqual(db.asked, [SECOND, SECOND]);
});

test("keys of committed batches older than the window are forgotten and then asked of the store", () => {
  const committed: [number, string][] = [];
  const db = store(committed);
  const seen = new SeenKeys(0, (second, h) => db.isStored(second, h));
  assert.equal(seen.add(SECOND, hash("old"), 1), true);
  assert.equal(seen.add(SECOND + 600, hash("new"), 2), true);
  // Batch 1 is not committed yet: its key stays in memory even though it is old.
  seen.committed(0);
  assert.equal(seen.add(SECOND, hash("old"), 2), false);
  assert.deepEqual(db.asked, []);
  // Committed: forgotten here, so a line of that second (out of order) is looked up.
  seen.committed(2);
  assert.equal(seen.add(SECOND, hash("late"), 3), true);
  assert.deepEqual(db.asked, [SECOND]);
});

test("twins of one 64-bit half are told apart by the other", () => {
  const seen = new SeenKeys(-1, () => false);
  assert.equal(seen.add(SECOND, { high: 7, low: 1 }, 1), true);
  assert.equal(seen.add(SECOND, { high: 7, low: 2 }, 1), true);
  assert.equal(seen.add(SECOND, { high: 7, low: 3 }, 1), true);
  assert.equal(seen.add(SECOND, { high: 7, low: 2 }, 1), false);
  assert.equal(seen.add(SECOND, { high: 7, low: 3 }, 1), false);
});
