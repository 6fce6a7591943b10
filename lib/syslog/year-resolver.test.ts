import assert from "node:assert/strict";
import { test } from "node:test";
import { parseEnvelope } from "./envelope.ts";
import { YearResolver } from "./year-resolver.ts";

const iso = (years: YearResolver, line: string) => {
  const envelope = parseEnvelope(line);
  assert.ok(envelope);
  return new Date(years.toEpochMs(envelope.time)).toISOString().slice(0, 10);
};
const line = (date: string) => `${date} 10:00:00 mail postfix/qmgr[1]: 2BD192839B: removed`;

test("without --year, a month after the file's mtime month belongs to the year before (VRL resolve_year)", () => {
  const years = new YearResolver(new Date(2027, 0, 3));
  assert.equal(iso(years, line("Dec 30")), "2026-12-30");
  assert.equal(iso(years, line("Jan  2")), "2027-01-02");
});

test("a file crossing New Year moves to the next year once", () => {
  const years = new YearResolver(new Date(2030, 5, 1), 2026);
  assert.equal(iso(years, line("Dec 31")), "2026-12-31");
  assert.equal(iso(years, line("Jan  1")), "2027-01-01");
  assert.equal(iso(years, line("Feb  1")), "2027-02-01");
});

test("a late December line after January does not move the year back for good", () => {
  const years = new YearResolver(new Date(2030, 5, 1), 2026);
  assert.equal(iso(years, line("Dec 31")), "2026-12-31");
  assert.equal(iso(years, line("Jan  1")), "2027-01-01");
  assert.equal(iso(years, line("Dec 31")), "2026-12-31");
  assert.equal(iso(years, line("Jan  1")), "2027-01-01");
});

test("a line slightly out of order across a month boundary keeps the year", () => {
  const years = new YearResolver(new Date(2030, 5, 1), 2026);
  assert.equal(iso(years, line("Jan 31")), "2026-01-31");
  assert.equal(iso(years, line("Feb  1")), "2026-02-01");
  assert.equal(iso(years, line("Jan 31")), "2026-01-31");
});
