import assert from "node:assert/strict";
import { test } from "node:test";
import { mapLimited } from "./map-limited.ts";

const tick = () => new Promise((resolve) => setImmediate(resolve));

test("results come in the items' order, however the work finishes", async () => {
  // Later items finish first.
  const results = await mapLimited([5, 4, 3, 2, 1, 0], 3, async (n, index) => {
    for (let i = 0; i < n; i += 1) await tick();
    return `${index}:${n}`;
  });
  assert.deepEqual(results, ["0:5", "1:4", "2:3", "3:2", "4:1", "5:0"]);
});

test("never more than the limit at once, and the limit is used", async () => {
  for (const limit of [1, 2, 16]) {
    let running = 0;
    let most = 0;
    await mapLimited([...Array(40).keys()], limit, async () => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      running -= 1;
    });
    assert.equal(most, limit, `limit ${limit}`);
  }
});

test("no items: no work", async () => {
  assert.deepEqual(await mapLimited([], 4, async () => assert.fail("called")), []);
});

test("a failure rejects with the first error, and starts nothing after it", async () => {
  const started: number[] = [];
  await assert.rejects(
    mapLimited([...Array(20).keys()], 2, async (n) => {
      started.push(n);
      await tick();
      if (n === 3) throw new Error("item 3 failed");
      if (n === 4) throw new Error("item 4 failed");
    }),
    /item 3 failed/,
  );
  // Items 3 and 4 were in flight together; nothing started once 3 had failed.
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
});
