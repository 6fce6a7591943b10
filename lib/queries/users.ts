import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import { HAM_RESULTS, SPAM_RESULTS, sqlList, UNAPPLIED_MISDIRECTED_FILTERS } from "../filters/results.ts";
import { END_OF_TIME, readRows } from "./dialect.ts";
import { andOnHost } from "./message-filters.ts";

/**
 * Training health of one person's mailbox or one statistics user, per filter: a server moving from
 * DSPAM to Rspamd has a row for each filter that judged or retrained the user.
 */
export type UserHealth = {
  user: string;
  /** The filter (Verdict.filter) of these figures; null for a mailbox no filter judged or trained. */
  filter: string | null;
  /** Received mail into a mailbox: a person (or a shared mailbox), not an alias or an outside address. */
  isMailbox: boolean;
  /** Messages the filter classified under this user. */
  classified: number;
  spam: number;
  innocent: number;
  /** Retrains of mail this user's dictionary classified (or, when that is unknown, aimed at this user). */
  retrains: number;
  retrainsApplied: number;
  retrainsFailed: number;
  retrainsMisdirected: number;
  /** Applied retrains / retrains; null without retrains. */
  successRate: number | null;
  firstSeen: Date | null;
  lastSeen: Date | null;
};

type Row = Record<string, number | bigint | string | Date | null>;
const num = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

/** Per-user training health for every mailbox and every filter's statistics user, optionally within a time range. */
export async function getUserHealth(
  range: { since?: Date; until?: Date; host?: string } = {},
  prisma: PrismaClient = getPrisma(),
): Promise<UserHealth[]> {
  const since = range.since ?? new Date(0);
  const until = range.until ?? END_OF_TIME;
  // On one server: classifications and deliveries of its journeys (a classification no journey
  // claims belongs to no server), retrainings made on it.
  const byJourney = andOnHost(range.host, { journeyColumn: '"journeyId"' });
  const byHost = andOnHost(range.host, { hostColumn: "host" });
  // Written once for both databases (lib/queries/dialect.ts): quoted names, counts as sums of CASE.
  const verdicts = await readRows<Row>(
    prisma,
    `SELECT lower("filterUser") AS "user", "filter", count(*) AS classified,
       sum(CASE WHEN "result" IN (${sqlList(SPAM_RESULTS)}) THEN 1 ELSE 0 END) AS spam,
       sum(CASE WHEN "result" IN (${sqlList(HAM_RESULTS)}) THEN 1 ELSE 0 END) AS innocent,
       min(ts) AS first, max(ts) AS last
     FROM "Verdict" WHERE "filterUser" IS NOT NULL AND ts >= ? AND ts < ?${byJourney.sql}
     GROUP BY lower("filterUser"), "filter"`,
    since,
    until,
    ...byJourney.params,
  );
  const trainings = await readRows<Row>(
    prisma,
    `SELECT lower(coalesce("classifiedUser", "filterUser", login)) AS "user", "filter", count(*) AS retrains,
       sum(CASE WHEN outcome = 'applied' THEN 1 ELSE 0 END) AS applied,
       sum(CASE WHEN outcome = 'failed' THEN 1 ELSE 0 END) AS failed,
       sum(CASE WHEN "classifiedUser" IS NOT NULL AND "filterUser" IS NOT NULL
         AND lower("classifiedUser") <> lower("filterUser")
         AND (outcome = 'applied' OR "filter" IN (${sqlList(UNAPPLIED_MISDIRECTED_FILTERS)})) THEN 1 ELSE 0 END) AS misdirected,
       min(ts) AS first, max(ts) AS last
     FROM "Training" WHERE ts >= ? AND ts < ?${byHost.sql} GROUP BY 1, 2`,
    since,
    until,
    ...byHost.params,
  );
  const targets = await readRows<Row>(
    prisma,
    `SELECT DISTINCT lower("filterUser") AS "user", "filter" FROM "Training" WHERE "filterUser" IS NOT NULL AND ts >= ? AND ts < ?${byHost.sql}`,
    since,
    until,
    ...byHost.params,
  );
  const mailboxes = await readRows<Row>(
    prisma,
    `SELECT lower(recipient) AS "user", min(ts) AS first, max(ts) AS last FROM "Delivery"
     WHERE destination = 'mailbox' AND status = 'sent' AND ts >= ? AND ts < ?${byJourney.sql} GROUP BY lower(recipient)`,
    since,
    until,
    ...byJourney.params,
  );

  const users = new Map<string, UserHealth>();
  const isMailbox = new Set(mailboxes.map((m) => String(m.user)));
  const row = (user: string, filter: string | null) => {
    const key = `${filter ?? ""}\t${user}`;
    let health = users.get(key);
    if (!health) {
      health = {
        user,
        filter,
        isMailbox: isMailbox.has(user),
        classified: 0,
        spam: 0,
        innocent: 0,
        retrains: 0,
        retrainsApplied: 0,
        retrainsFailed: 0,
        retrainsMisdirected: 0,
        successRate: null,
        firstSeen: null,
        lastSeen: null,
      };
      users.set(key, health);
    }
    return health;
  };
  const seen = (health: UserHealth, first: unknown, last: unknown) => {
    if (first !== null && first !== undefined) {
      const f = new Date(num(first));
      if (!health.firstSeen || f < health.firstSeen) health.firstSeen = f;
    }
    if (last !== null && last !== undefined) {
      const l = new Date(num(last));
      if (!health.lastSeen || l > health.lastSeen) health.lastSeen = l;
    }
  };
  for (const v of verdicts) {
    const health = row(String(v.user), String(v.filter));
    health.classified += num(v.classified);
    health.spam += num(v.spam);
    health.innocent += num(v.innocent);
    seen(health, v.first, v.last);
  }
  for (const t of trainings) {
    const health = row(String(t.user), String(t.filter));
    health.retrains += num(t.retrains);
    health.retrainsApplied += num(t.applied);
    health.retrainsFailed += num(t.failed);
    health.retrainsMisdirected += num(t.misdirected);
    seen(health, t.first, t.last);
  }
  for (const t of targets) row(String(t.user), String(t.filter));
  // Every row of a mailbox shows when mail reached it; a mailbox no filter saw gets a row of its own.
  const rowsOf = new Map<string, UserHealth[]>();
  for (const health of users.values()) rowsOf.set(health.user, [...(rowsOf.get(health.user) ?? []), health]);
  for (const m of mailboxes) {
    const user = String(m.user);
    for (const health of rowsOf.get(user) ?? [row(user, null)]) seen(health, m.first, m.last);
  }
  for (const health of users.values()) {
    health.successRate = health.retrains > 0 ? health.retrainsApplied / health.retrains : null;
  }
  return [...users.values()].sort(
    (a, b) =>
      Number(b.isMailbox) - Number(a.isMailbox) ||
      a.user.localeCompare(b.user) ||
      (a.filter ?? "").localeCompare(b.filter ?? ""),
  );
}
