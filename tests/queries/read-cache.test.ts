import assert from "node:assert/strict";
import { test } from "node:test";
import { cachedRead, invalidateReads } from "../../lib/queries/read-cache.ts";

test("a read is remembered while fresh, served stale while one refresh runs, and forgotten on invalidation", async () => {
  invalidateReads();
  let calls = 0;
  const read = async () => {
    calls += 1;
    return calls;
  };
  const t0 = Date.now();
  assert.equal((await cachedRead("k", read, t0)).value, 1);
  assert.equal((await cachedRead("k", read, t0 + 5_000)).value, 1, "fresh");
  assert.equal(calls, 1);
  assert.equal((await cachedRead("k", read, t0 + 20_000)).value, 1, "stale value served at once");
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(calls, 2, "one refresh in the background");
  assert.equal((await cachedRead("k", read, Date.now() + 1_000)).value, 2, "the refreshed value");
  invalidateReads();
  assert.equal((await cachedRead("k", read)).value, 3);
  assert.equal((await cachedRead("other", read)).value, 4, "keys are separate");
});

test("a failing read is not remembered", async () => {
  invalidateReads();
  await assert.rejects(
    cachedRead("bad", async () => Promise.reject(new Error("database is locked"))),
    /locked/,
  );
  assert.equal((await cachedRead("bad", async () => "ok")).value, "ok");
});
