import type { DetectContext, Evidence } from "./types.ts";
import { lower } from "./types.ts";

/** A DSPAM user as seen in verdicts, retrains and DSPAM's error lines. */
export type DspamUserSeen = {
  user: string;
  firstSeen: number;
  lastSeen: number;
  classified: number;
  retrainTargets: number;
  lineIds: number[];
};

/**
 * DSPAM users (each a dictionary on disk) that are not a person's mailbox: external addresses,
 * aliases, accounts that no longer exist, bare logins created by failed retrains.
 */
export function detectDspamUserSprawl(users: readonly DspamUserSeen[], ctx: DetectContext): Evidence[] {
  const evidence: Evidence[] = [];
  for (const seen of users) {
    const user = lower(seen.user);
    if (ctx.mailboxes.has(user)) continue;
    const isA = !user.includes("@")
      ? [...ctx.mailboxes].some((m) => m.split("@")[0] === user)
        ? "bare-login"
        : "unknown-user"
      : ctx.isLocalRecipient(user)
        ? "alias-or-stale"
        : "external";
    evidence.push({
      kind: "dspam-user-sprawl",
      subject: { user },
      severity: "low",
      ref: `dspam-user:${user}`,
      ts: seen.firstSeen,
      messageId: null,
      journeyKey: null,
      users: [user],
      recipients: [],
      detail: {
        isA,
        classified: seen.classified,
        retrainTargets: seen.retrainTargets,
        lastSeen: seen.lastSeen,
      },
      lineIds: seen.lineIds.slice(0, 20),
    });
  }
  return evidence;
}
