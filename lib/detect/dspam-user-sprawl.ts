import type { DspamUserSeen, FindingDefinition } from "./definition.ts";
import type { DetectContext, Evidence } from "./types.ts";
import { lower } from "./types.ts";
import { plural, values } from "./words.ts";

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

const WHAT: Record<string, string> = {
  "bare-login":
    "a login without its domain, created by retraining under the raw IMAP login (see training-misdirected)",
  external:
    "an external address, created because DSPAM was given mail for a recipient elsewhere (outgoing mail or a forward)",
  "alias-or-stale": "an alias or an account that no longer exists",
  "unknown-user": "a name that matches no mailbox",
};

export const dspamUserSprawl: FindingDefinition = {
  kind: "dspam-user-sprawl",
  title: "DSPAM dictionaries nobody trains",
  severity: "low",
  unit: "DSPAM user",
  detect: { dspamUsers: detectDspamUserSprawl },
  explain: (facts) => {
    const isA = values(facts, "isA")[0] ?? "unknown-user";
    return {
      summary: `DSPAM keeps a dictionary for ${facts.subject.user}, which is not anyone's mailbox: ${WHAT[isA] ?? isA}.`,
      cause:
        "Each DSPAM user is a dictionary on disk that nobody will ever train; its verdicts, if any, are guesses.",
      fix: "Fix the cause (see the other findings), then remove the dictionary: check it with `dspam_stats <user>` and delete it (hash driver: the <user> directory under DSPAM's data directory, e.g. /var/spool/dspam/data/<user>/).",
    };
  },
  reason: (t) => `${plural(t.findings, "DSPAM dictionary", "DSPAM dictionaries")} that nobody trains`,
};
