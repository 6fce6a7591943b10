import type { JourneyRecord } from "../core/journey.ts";
import { judgedCopies } from "./copies.ts";
import type { DetectContext, Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";

/**
 * DSPAM classified a copy under a user nobody logs in as: a copy that landed in Carol's mailbox but
 * was judged as sales@ (aliases expanded only after DSPAM), or inbound mail judged under an external
 * forward address. Nobody can ever retrain that dictionary.
 */
export function detectClassifiedUnderAlias(journey: JourneyRecord, ctx: DetectContext): Evidence[] {
  const byUser = new Map<string, { recipients: Set<string>; lines: number[]; ts: number; reason: string }>();
  for (const copy of judgedCopies(journey)) {
    const user = lower(copy.verdict?.dspamUser ?? "");
    const landedIn = copy.destination === "mailbox" ? lower(copy.mailbox?.user ?? copy.recipient) : null;
    let reason: string | null = null;
    if (landedIn && !sameMailbox(user, landedIn) && !ctx.mailboxes.has(user)) {
      reason = ctx.isLocalRecipient(user) ? "alias" : "external";
    } else if (journey.origin === "inbound" && !ctx.isLocalRecipient(user)) {
      reason = "external";
    }
    if (!reason) continue;
    const entry = byUser.get(user) ?? { recipients: new Set(), lines: [], ts: copy.ts, reason };
    entry.recipients.add(lower(copy.recipient));
    entry.lines.push(copy.lineId);
    byUser.set(user, entry);
  }
  return [...byUser].map(([user, entry]) => ({
    kind: "classified-under-alias",
    subject: { user },
    severity: "high",
    ref: journey.key,
    ts: entry.ts,
    messageId: journey.messageId,
    journeyKey: journey.key,
    users: [user],
    recipients: unique(entry.recipients),
    detail: { userIs: entry.reason, deliveredTo: unique(entry.recipients) },
    lineIds: [
      ...entry.lines,
      ...journey.verdicts.filter((v) => lower(v.dspamUser) === user).map((v) => v.lineId),
    ],
  }));
}

// Dovecot may know the user without its domain.
function sameMailbox(dspamUser: string, mailbox: string): boolean {
  return dspamUser === mailbox || dspamUser.split("@")[0] === mailbox || mailbox.split("@")[0] === dspamUser;
}
