import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";

export type MisdirectedTraining = {
  id: number;
  ts: Date;
  login: string | null;
  /** The DSPAM user the retrain was aimed at (from the IMAP login). */
  target: string;
  /** The DSPAM user whose verdict carried the signature: the one that should have learnt. */
  classifiedBy: string;
  direction: string;
  outcome: string;
  messageId: string | null;
};

/** Retrains that went to another DSPAM user than the one that classified the mail, newest first. */
export async function getMisdirectedTrainings(
  range: { since?: Date; until?: Date } = {},
  options: { limit?: number } = {},
  prisma: PrismaClient = getPrisma(),
): Promise<MisdirectedTraining[]> {
  const rows = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT id, ts, login, dspamUser, classifiedUser, direction, outcome, messageId FROM Training
     WHERE ts >= ? AND ts < ? AND classifiedUser IS NOT NULL AND dspamUser IS NOT NULL
       AND lower(classifiedUser) <> lower(dspamUser)
     ORDER BY ts DESC, id DESC LIMIT ?`,
    range.since?.getTime() ?? 0,
    range.until?.getTime() ?? Number.MAX_SAFE_INTEGER,
    options.limit ?? 200,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    ts: new Date(Number(r.ts)),
    login: r.login === null ? null : String(r.login),
    target: String(r.dspamUser),
    classifiedBy: String(r.classifiedUser),
    direction: String(r.direction),
    outcome: String(r.outcome),
    messageId: r.messageId === null ? null : String(r.messageId),
  }));
}
