import type { Db } from "../../lib/db/connection.ts";

/**
 * What must not depend on how the files were ingested: each journey's queues, copies and verdicts,
 * trainings, findings (copies in time order, then by queue and recipient: syslog times are whole
 * seconds, and line ids follow the order the files were read in).
 */
export function ingestedState(db: Db) {
  const rows = (sql: string) => db.prepare(sql).all();
  return {
    journeys: rows(`SELECT key, messageId, origin, verdict, delivered FROM Journey ORDER BY key`),
    copies: rows(
      `SELECT j.key, d.queueId, d.recipient, d.status, d.folder, d.verdictUser, d.verdictClass
       FROM Delivery d JOIN Journey j ON j.id = d.journeyId
       ORDER BY j.key, d.ts, d.queueId, d.recipient, d.status, d.lineId`,
    ),
    verdicts: rows(
      `SELECT v.dspamUser, v.signature, v.queueId, j.key FROM Verdict v LEFT JOIN Journey j ON j.id = v.journeyId ORDER BY v.signature, v.dspamUser`,
    ),
    trainings: rows(`SELECT key, login, dspamUser, classifiedUser, outcome FROM Training ORDER BY key`),
    findings: rows(`SELECT key, severity, count FROM Finding ORDER BY key`),
  };
}
