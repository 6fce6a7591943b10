import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Overview } from "../../lib/queries/stats.ts";
import { groupFindings } from "../../lib/report/build.ts";
import type { ReportFinding } from "../../lib/report/model.ts";
import { decideVerdict } from "../../lib/report/verdict.ts";

const overview = (patch: Partial<Overview> = {}): Overview => ({
  range: { since: new Date(1970, 0, 1), until: new Date(1970, 0, 1, 0, 0, 1) },
  filters: ["dspam"],
  messages: 100,
  byOrigin: { inbound: 100, authenticated: 0, local: 0, unknown: 0 },
  byVerdict: { spam: 20, innocent: 80, none: 0 },
  filtered: 100,
  bypassed: 0,
  deferredToFilter: 0,
  deliveredCopies: 100,
  inFlight: 0,
  inProgress: 0,
  trainings: { attempts: 3, applied: 3, failed: 0, misdirected: 0, unknown: 0 },
  openFindings: { high: 0, medium: 0, low: 0 },
  ...patch,
});

const finding = (patch: Partial<ReportFinding>): ReportFinding => ({
  id: 1,
  kind: "dspam-user-sprawl",
  about: "a cause",
  filter: "dspam",
  severity: "low",
  summary: "",
  cause: "",
  fix: "",
  count: 1,
  firstSeen: new Date(0),
  lastSeen: new Date(0),
  isNew: true,
  messages: 0,
  examples: [],
  ...patch,
});

describe("the one-line verdict", () => {
  test("healthy when nothing is open", () => {
    const v = decideVerdict(overview(), []);
    assert.deepEqual(
      [v.status, v.headline, v.short],
      ["healthy", "Healthy: every message took its expected path through the filter.", "healthy"],
    );
  });

  test("healthy with low-severity notes", () => {
    const v = decideVerdict(overview(), groupFindings([finding({ id: 1 }), finding({ id: 2 })]));
    assert.equal(v.headline, "Healthy: nothing urgent, 2 low-severity notes.");
  });

  test("needs attention: counts by severity, reasons most severe first", () => {
    const v = decideVerdict(
      overview(),
      groupFindings([
        finding({ id: 1, kind: "duplicate-delivery", severity: "medium", messages: 16 }),
        finding({ id: 2, kind: "training-misdirected", severity: "high", count: 2 }),
        finding({ id: 3, kind: "training-misdirected", severity: "high", count: 1 }),
      ]),
    );
    assert.equal(v.status, "attention");
    assert.equal(v.headline, "Needs attention: 2 high and 1 medium findings.");
    assert.equal(v.short, "needs attention: 2 high and 1 medium findings");
    assert.deepEqual(v.reasons, [
      "3 retrainings went to the wrong DSPAM user and changed nothing",
      "16 messages delivered more than once to the same address (aliases expanded before and after DSPAM)",
    ]);
  });

  test("reasons name the filter of their findings: Rspamd's speak of Rspamd and its Bayes users", () => {
    const v = decideVerdict(
      overview(),
      groupFindings([
        finding({ id: 1, kind: "training-misdirected", severity: "high", filter: "rspamd" }),
        finding({ id: 2, kind: "verdict-on-outgoing", severity: "medium", filter: "rspamd", messages: 4 }),
        finding({ id: 3, kind: "verdict-on-local", severity: "medium", filter: "dspam", messages: 2 }),
      ]),
    );
    assert.deepEqual(v.reasons, [
      "1 retraining went to the wrong Bayes user and changed nothing",
      "4 outgoing messages went through Rspamd",
      "2 messages made on the server went through DSPAM",
    ]);
  });

  test("mail that bypassed or waited for the filter needs attention even without findings", () => {
    const v = decideVerdict(overview({ bypassed: 2, deferredToFilter: 1 }), []);
    assert.equal(v.headline, "Needs attention: 2 inbound messages bypassed DSPAM.");
    assert.equal(v.reasons.length, 2);
  });

  test("no mail at all is news too", () => {
    const v = decideVerdict(
      overview({
        messages: 0,
        trainings: { attempts: 0, applied: 0, failed: 0, misdirected: 0, unknown: 0 },
      }),
      [],
    );
    assert.equal(v.status, "no-data");
    assert.equal(
      v.headline,
      "No mail logged between 1970-01-01 00:00 and 1970-01-01 00:00. Is Spamtrail still reading the mail logs?",
    );
  });
});
