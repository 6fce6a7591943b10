import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import { HAM_RESULTS, SPAM_RESULTS, sqlList } from "../filters/results.ts";
import { dialectOf, jsonColumnTable, readRows } from "./dialect.ts";
import { andOnHost, evidenceOnHost } from "./message-filters.ts";
import { countMessages } from "./messages.ts";
import { type Bucket, type TimeRange, zonedBucketSql } from "./stats.ts";

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

export type UserTraining = {
  id: number;
  ts: Date;
  login: string | null;
  dspamUser: string | null;
  classifiedUser: string | null;
  direction: string;
  outcome: string;
  reason: string | null;
  messageId: string | null;
  fromMailbox: string | null;
  toMailbox: string | null;
  /** The retrain went to another DSPAM user than the one that classified the mail. */
  misdirected: boolean;
};

export type UserDetail = {
  user: string;
  /** Delivered into a mailbox: a person (or shared mailbox), not an alias or an outside address. */
  isMailbox: boolean;
  classified: number;
  spam: number;
  innocent: number;
  /** Messages (countMessages, as their lists count them): classified by the user, judged spam / innocent, delivered into the mailbox. */
  messages: { classified: number; spam: number; innocent: number; delivered: number };
  folders: { folder: string; messages: number }[];
  verdictsOverTime: { bucket: string; spam: number; innocent: number; other: number }[];
  trainingsOverTime: { bucket: string; applied: number; failed: number; other: number }[];
  /** Logins that retrained this user's mail or retrained this DSPAM user, with counts. */
  logins: { login: string; retrains: number; misdirected: number }[];
  /** Retrains of mail this user's dictionary classified that went to another DSPAM user. */
  lostRetrains: UserTraining[];
  /** Retrains aimed at this DSPAM user for mail another DSPAM user classified. */
  strayRetrains: UserTraining[];
  /** Recent retrains involving this user (newest first). */
  recent: UserTraining[];
  findings: {
    id: number;
    kind: string;
    severity: string;
    status: string;
    count: number;
    subject: Record<string, string>;
  }[];
};

// A user is matched as typed and lower-cased, so the indexes on filterUser, recipient and login are used.
const spellings = (user: string) => [...new Set([user, user.toLowerCase()])];
const marks = (values: readonly unknown[]) => values.map(() => "?").join(", ");

function training(r: Row): UserTraining {
  const classified = str(r.classifiedUser);
  const target = str(r.filterUser);
  return {
    id: num(r.id),
    ts: new Date(num(r.ts)),
    login: str(r.login),
    dspamUser: target,
    classifiedUser: classified,
    direction: String(r.direction),
    outcome: String(r.outcome),
    reason: str(r.reason),
    messageId: str(r.messageId),
    fromMailbox: str(r.fromMailbox),
    toMailbox: str(r.toMailbox),
    misdirected: classified !== null && target !== null && classified.toLowerCase() !== target.toLowerCase(),
  };
}

/** Everything about one mailbox / DSPAM user: verdicts and retraining over time, and where retraining went wrong. */
export async function getUserDetail(
  user: string,
  range: TimeRange & { bucket: Bucket },
  prisma: PrismaClient = getPrisma(),
): Promise<UserDetail> {
  const names = spellings(user.trim().slice(0, 320));
  const m = marks(names);
  const { since, until } = range;
  const dialect = dialectOf(prisma);
  const bucket = zonedBucketSql(dialect, "ts", range, range.bucket);
  // On one server (lib/queries/message-filters.ts): its messages' verdicts and deliveries, its retrainings.
  const byJourney = andOnHost(range.host, { journeyColumn: '"journeyId"' });
  const byHost = andOnHost(range.host, { hostColumn: "host" });
  const onHost = evidenceOnHost(range.host);
  const [verdicts, folders, trainingRows, trainingBuckets, findings] = await Promise.all([
    readRows<Row>(
      prisma,
      `SELECT ${bucket} AS bucket,
         sum(CASE WHEN "result" IN (${sqlList(SPAM_RESULTS)}) THEN 1 ELSE 0 END) AS spam,
         sum(CASE WHEN "result" IN (${sqlList(HAM_RESULTS)}) THEN 1 ELSE 0 END) AS innocent, count(*) AS n
       FROM "Verdict" WHERE "filterUser" IN (${m}) AND ts >= ? AND ts < ?${byJourney.sql} GROUP BY 1 ORDER BY 1`,
      ...names,
      since,
      until,
      ...byJourney.params,
    ),
    readRows<Row>(
      prisma,
      `SELECT coalesce(folder, '(not logged)') AS folder, count(*) AS n FROM "Delivery"
       WHERE recipient IN (${m}) AND destination = 'mailbox' AND status = 'sent' AND ts >= ? AND ts < ?${byJourney.sql}
       GROUP BY 1 ORDER BY n DESC, 1`,
      ...names,
      since,
      until,
      ...byJourney.params,
    ),
    readRows<Row>(
      prisma,
      `SELECT id, ts, login, "filterUser", "classifiedUser", direction, outcome, reason, "messageId", "fromMailbox", "toMailbox"
       FROM "Training" WHERE ts >= ? AND ts < ?${byHost.sql} AND (
         id IN (SELECT id FROM "Training" WHERE "filterUser" IN (${m}))
         OR id IN (SELECT id FROM "Training" WHERE login IN (${m}))
         OR "classifiedUser" IN (${m}))
       ORDER BY ts DESC, id DESC LIMIT 500`,
      since,
      until,
      ...byHost.params,
      ...names,
      ...names,
      ...names,
    ),
    readRows<Row>(
      prisma,
      `SELECT ${bucket} AS bucket, count(*) AS n,
         sum(CASE WHEN outcome = 'applied' THEN 1 ELSE 0 END) AS applied,
         sum(CASE WHEN outcome = 'failed' THEN 1 ELSE 0 END) AS failed
       FROM "Training" WHERE ts >= ? AND ts < ?${byHost.sql} AND coalesce("classifiedUser", "filterUser", login) IN (${m})
       GROUP BY 1 ORDER BY 1`,
      since,
      until,
      ...byHost.params,
      ...names,
    ),
    // The findings whose evidence in the range names the user (as DSPAM user, login or recipient).
    readRows<Row>(
      prisma,
      `SELECT f.id, f.kind, f.severity, f.status, f.subject, count(*) AS n
       FROM "Finding" f JOIN "FindingEvidence" e ON e."findingId" = f.id
       WHERE e.ts >= ? AND e.ts < ?${onHost.sql} AND (
         EXISTS (SELECT 1 FROM ${jsonColumnTable(dialect, "e.users", "u")} WHERE lower(u.value) IN (${m}))
         OR EXISTS (SELECT 1 FROM ${jsonColumnTable(dialect, "e.recipients", "r")} WHERE lower(r.value) IN (${m})))
       GROUP BY f.id ORDER BY f.id`,
      since,
      until,
      ...onHost.params,
      ...names.map((n) => n.toLowerCase()),
      ...names.map((n) => n.toLowerCase()),
    ),
  ]);
  const inRange = { since: range.since, until: range.until, host: range.host };
  const [classified, spam, innocent, delivered] = await Promise.all([
    countMessages({ dspamUser: user, ...inRange }, prisma),
    countMessages({ dspamUser: user, verdict: "spam", ...inRange }, prisma),
    countMessages({ dspamUser: user, verdict: "innocent", ...inRange }, prisma),
    countMessages({ mailbox: user, ...inRange }, prisma),
  ]);
  const lower = new Set(names.map((n) => n.toLowerCase()));
  const mine = (value: string | null) => value !== null && lower.has(value.toLowerCase());
  const all = trainingRows.map(training);
  const logins = new Map<string, { retrains: number; misdirected: number }>();
  for (const t of all) {
    if (!t.login || !(mine(t.classifiedUser) || mine(t.dspamUser) || mine(t.login))) continue;
    const entry = logins.get(t.login) ?? { retrains: 0, misdirected: 0 };
    entry.retrains += 1;
    if (t.misdirected) entry.misdirected += 1;
    logins.set(t.login, entry);
  }
  const totals = verdicts.reduce<{ spam: number; innocent: number; n: number }>(
    (acc, v) => ({
      spam: acc.spam + num(v.spam),
      innocent: acc.innocent + num(v.innocent),
      n: acc.n + num(v.n),
    }),
    { spam: 0, innocent: 0, n: 0 },
  );
  return {
    user,
    isMailbox: folders.length > 0,
    classified: totals.n,
    spam: totals.spam,
    innocent: totals.innocent,
    messages: { classified, spam, innocent, delivered },
    folders: folders.map((f) => ({ folder: String(f.folder), messages: num(f.n) })),
    verdictsOverTime: verdicts.map((v) => ({
      bucket: String(v.bucket),
      spam: num(v.spam),
      innocent: num(v.innocent),
      other: num(v.n) - num(v.spam) - num(v.innocent),
    })),
    trainingsOverTime: trainingBuckets.map((t) => ({
      bucket: String(t.bucket),
      applied: num(t.applied),
      failed: num(t.failed),
      other: num(t.n) - num(t.applied) - num(t.failed),
    })),
    logins: [...logins.entries()]
      .map(([login, v]) => ({ login, ...v }))
      .sort((a, b) => b.retrains - a.retrains || a.login.localeCompare(b.login)),
    lostRetrains: all.filter((t) => t.misdirected && mine(t.classifiedUser)),
    strayRetrains: all.filter((t) => t.misdirected && mine(t.dspamUser)),
    recent: all.slice(0, 50),
    findings: findings.map((f) => ({
      id: num(f.id),
      kind: String(f.kind),
      severity: String(f.severity),
      status: String(f.status),
      count: num(f.n),
      subject: JSON.parse(String(f.subject)) as Record<string, string>,
    })),
  };
}
