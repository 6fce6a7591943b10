import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import {
  displayZone,
  formatDateTime,
  formatStamp,
  fromWallClock,
  offsetChanges,
  parseLocalDate,
  readDisplayZone,
  wallClock,
  zoneAbbreviation,
} from "./display-zone.ts";

const saved = process.env.SPAMTRAIL_TZ;
afterEach(() => {
  if (saved === undefined) delete process.env.SPAMTRAIL_TZ;
  else process.env.SPAMTRAIL_TZ = saved;
});

describe("the display zone", () => {
  test("SPAMTRAIL_TZ names it; unset, it is the server's; a wrong name is refused with the reason", () => {
    assert.deepEqual(readDisplayZone({ SPAMTRAIL_TZ: "Europe/Berlin" }), { zone: "Europe/Berlin" });
    assert.deepEqual(readDisplayZone({}), { zone: new Intl.DateTimeFormat().resolvedOptions().timeZone });
    const bad = readDisplayZone({ SPAMTRAIL_TZ: "Mars/Olympus" });
    assert.ok("error" in bad && bad.error.includes('SPAMTRAIL_TZ="Mars/Olympus" is not a time zone'));
    process.env.SPAMTRAIL_TZ = "America/New_York";
    assert.equal(displayZone(), "America/New_York");
  });

  const table: { name: string; zone: string; wall: string; iso: string }[] = [
    { name: "winter", zone: "Europe/Berlin", wall: "2026-11-22 04:26:56", iso: "2026-11-22T03:26:56.000Z" },
    { name: "summer", zone: "Europe/Berlin", wall: "2026-07-01 02:00:00", iso: "2026-07-01T00:00:00.000Z" },
    // 02:30 does not exist on 29 March in Berlin: the clock jumps to 03:30.
    {
      name: "spring gap",
      zone: "Europe/Berlin",
      wall: "2026-03-29 02:30:00",
      iso: "2026-03-29T01:30:00.000Z",
    },
    // 02:30 happens twice on 25 October: the earlier one.
    {
      name: "autumn overlap",
      zone: "Europe/Berlin",
      wall: "2026-10-25 02:30:00",
      iso: "2026-10-25T00:30:00.000Z",
    },
    {
      name: "half-hour zone",
      zone: "Asia/Kolkata",
      wall: "2026-12-01 00:00:00",
      iso: "2026-11-30T18:30:00.000Z",
    },
    { name: "UTC", zone: "UTC", wall: "2026-12-31 23:59:59", iso: "2026-12-31T23:59:59.000Z" },
  ];
  for (const row of table)
    test(`a wall clock and its moment: ${row.name}`, () => {
      const [day, time] = row.wall.split(" ") as [string, string];
      const [year, month, date] = day.split("-").map(Number) as [number, number, number];
      const [hour, minute, second] = time.split(":").map(Number) as [number, number, number];
      const moment = fromWallClock({ year, month, day: date, hour, minute, second }, row.zone);
      assert.equal(moment.toISOString(), row.iso);
      if (row.name !== "spring gap") assert.equal(formatDateTime(moment, { zone: row.zone }), row.wall);
    });

  test("URL and CLI dates are read in the display zone and printed with it named", () => {
    process.env.SPAMTRAIL_TZ = "Europe/Berlin";
    assert.equal(parseLocalDate("2026-11-22", false)?.toISOString(), "2026-11-21T23:00:00.000Z");
    assert.equal(parseLocalDate("2026-11-22", true)?.toISOString(), "2026-11-22T23:00:00.000Z");
    assert.equal(parseLocalDate("2026-11-22T04:26", true)?.toISOString(), "2026-11-22T03:27:00.000Z");
    assert.equal(parseLocalDate("notadate", false), null);
    assert.equal(parseLocalDate("2026-13-01", false), null);
    assert.equal(formatStamp(new Date("2026-11-22T03:26:56Z")), "2026-11-22 04:26:56 CET");
    assert.equal(formatStamp(new Date("2026-07-01T00:00:00Z"), { seconds: false }), "2026-07-01 02:00 CEST");
    assert.equal(zoneAbbreviation(new Date("2026-07-01T00:00:00Z"), "UTC"), "UTC");
    assert.deepEqual(wallClock(Date.UTC(2026, 0, 1), "America/New_York"), {
      year: 2025,
      month: 12,
      day: 31,
      hour: 19,
      minute: 0,
      second: 0,
    });
  });

  test("offset changes in a range: both of Berlin's in 2026, none in UTC", () => {
    const changes = offsetChanges(Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1), "Europe/Berlin");
    assert.deepEqual(
      changes.map((c) => [new Date(c.from).toISOString(), c.offset / 3_600_000]),
      [
        ["2026-01-01T00:00:00.000Z", 1],
        ["2026-03-29T01:00:00.000Z", 2],
        ["2026-10-25T01:00:00.000Z", 1],
      ],
    );
    assert.equal(offsetChanges(Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1), "UTC").length, 1);
  });
});
