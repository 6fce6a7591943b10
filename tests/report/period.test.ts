import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  describeDays,
  isoWeekOf,
  lastCompleteWeek,
  parseWeek,
  periodName,
  previousPeriod,
  rangePeriod,
  weeksInYear,
} from "../../lib/report/period.ts";

const day = (y: number, m: number, d: number, h = 0) => new Date(y, m - 1, d, h);

describe("ISO weeks in local time", () => {
  const cases: { name: string; date: Date; want: string }[] = [
    { name: "the lab's Sunday closes week 47", date: day(2026, 11, 22, 23), want: "2026-W47" },
    { name: "Monday starts week 48", date: day(2026, 11, 23), want: "2026-W48" },
    { name: "1 Jan 2026 is a Thursday: week 1", date: day(2026, 1, 1), want: "2026-W01" },
    { name: "1 Jan 2027 belongs to 2026's week 53", date: day(2027, 1, 1), want: "2026-W53" },
    { name: "3 Jan 2021 belongs to 2020's week 53", date: day(2021, 1, 3), want: "2020-W53" },
    { name: "29 Dec 2025 belongs to 2026's week 1", date: day(2025, 12, 29), want: "2026-W01" },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const { year, week } = isoWeekOf(c.date);
      assert.equal(`${year}-W${String(week).padStart(2, "0")}`, c.want);
    });
  }

  test("a week runs from Monday 00:00 to the next Monday 00:00", () => {
    const week = parseWeek("2026-W47");
    assert.deepEqual(week && [week.key, week.since, week.until], [
      "2026-W47",
      day(2026, 11, 16),
      day(2026, 11, 23),
    ]);
    assert.equal(week && describeDays(week), "16–22 Nov 2026");
    assert.equal(describeDays(parseWeek("2026-W49") ?? assert.fail()), "30 Nov – 6 Dec 2026");
    assert.equal(describeDays(parseWeek("2026-W53") ?? assert.fail()), "28 Dec 2026 – 3 Jan 2027");
  });

  test("week 53 exists only in long years; bad text is refused", () => {
    assert.equal(weeksInYear(2026), 53);
    assert.equal(weeksInYear(2025), 52);
    assert.equal(parseWeek("2025-W53"), null);
    for (const bad of ["2026-W00", "2026-W54", "2026-47", "W47", "2026-W4x", ""])
      assert.equal(parseWeek(bad), null, bad);
    assert.equal(parseWeek("2026w47")?.key, "2026-W47");
  });

  test("the default week is the last complete one", () => {
    assert.equal(lastCompleteWeek(day(2026, 11, 23, 7)).key, "2026-W47");
    assert.equal(lastCompleteWeek(day(2026, 11, 22, 23)).key, "2026-W46");
    assert.equal(lastCompleteWeek(day(2027, 1, 5)).key, "2026-W53");
  });

  test("the period before: the week before, or a range of the same length", () => {
    assert.equal(previousPeriod(parseWeek("2027-W01") ?? assert.fail()).key, "2026-W53");
    const range = rangePeriod(day(2026, 11, 10), day(2026, 11, 20));
    assert.equal(range.key, "2026-11-10..2026-11-20");
    // The header names a range by the days it shows, as its title does (the key's end is exclusive).
    const year = rangePeriod(day(2026, 1, 1), day(2027, 1, 2));
    assert.deepEqual(
      [describeDays(year), periodName(year)],
      ["1 Jan 2026 – 1 Jan 2027", "2026-01-01 to 2027-01-01"],
    );
    assert.equal(periodName(rangePeriod(day(2026, 11, 22), day(2026, 11, 23))), "2026-11-22");
    assert.equal(periodName(parseWeek("2026-W47") ?? assert.fail()), "2026-W47");
    const before = previousPeriod(range);
    assert.deepEqual([before.since, before.until], [day(2026, 10, 31), day(2026, 11, 10)]);
  });
});
