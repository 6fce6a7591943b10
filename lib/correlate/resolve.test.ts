import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { RELAY_CASES, STORE_CASES } from "../../tests/helpers/relay-cases.ts";
import { describeWrite, MemoryStore, RESOLVE_CASES } from "../../tests/helpers/resolve-cases.ts";
import { resolveOutputs, type StoreWrite } from "./resolve.ts";

describe("correlation decisions against what the store holds (late joins, orphan verdicts, training back-fill)", () => {
  for (const c of [...RESOLVE_CASES, ...RELAY_CASES, ...STORE_CASES]) {
    test(c.name, () => {
      const store = new MemoryStore();
      for (const write of c.store) store.apply(write);
      const writes: StoreWrite[] = [];
      const written = resolveOutputs(c.outputs, store, (write) => {
        writes.push(write);
        store.apply(write);
      });
      assert.deepEqual(writes.map(describeWrite), c.writes);
      assert.deepEqual(
        written.journeys.map((j) => j.key),
        writes.flatMap((w) => (w.type === "journey" ? [w.journey.key] : [])),
      );
      assert.deepEqual(
        written.trainings.map((t) => t.key),
        c.trainings ?? writes.flatMap((w) => (w.type === "training" ? [w.training.key] : [])),
      );
      assert.deepEqual(
        written.droppedJourneys,
        writes.flatMap((w) => (w.type === "drop-journey" ? [w.key] : [])),
      );
      assert.deepEqual(
        written.droppedTrainings,
        writes.flatMap((w) => (w.type === "training" && w.replaces ? [w.replaces] : [])),
      );
    });
  }
});
