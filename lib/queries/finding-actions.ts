import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";

// NOTE: persisted in FindingAudit.action; the statuses they lead to are persisted in Finding.status.
export const FINDING_ACTIONS = { acknowledge: "acknowledged", mute: "muted", reopen: "open" } as const;
export type FindingAction = keyof typeof FINDING_ACTIONS;
export const MAX_NOTE_LENGTH = 1000;

export function isFindingAction(value: unknown): value is FindingAction {
  return typeof value === "string" && Object.hasOwn(FINDING_ACTIONS, value);
}

/**
 * Acknowledges, mutes or reopens a finding: sets its status, who and when, and the note, and
 * records the change in FindingAudit, in one transaction. False when the finding does not exist.
 */
export async function setFindingStatus(
  options: { findingId: number; action: FindingAction; actor: string; note?: string | null; now?: Date },
  prisma: PrismaClient = getPrisma(),
): Promise<boolean> {
  const now = options.now ?? new Date();
  const note = options.note?.trim().slice(0, MAX_NOTE_LENGTH) || null;
  const status = FINDING_ACTIONS[options.action];
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.finding.updateMany({
      where: { id: options.findingId },
      data: { status, statusBy: options.actor, statusAt: now, note },
    });
    if (count === 0) return false;
    await tx.findingAudit.create({
      data: { findingId: options.findingId, action: options.action, actor: options.actor, at: now, note },
    });
    return true;
  });
}
