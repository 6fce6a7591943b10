import { REMOVE_DICTIONARY } from "../filters/dspam/fixes.ts";
import { explainRspamdStrayUsers, isRspamdFinding, RSPAMD_SUBJECT } from "../filters/rspamd/findings.ts";
import type { DspamUserSeen, FindingDefinition, RelatedFinding } from "./definition.ts";
import type { DetectContext, Evidence } from "./types.ts";
import { lower } from "./types.ts";
import { list, plural } from "./words.ts";

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
      subject: { isA, ...(seen.filter === "rspamd" ? RSPAMD_SUBJECT : {}) },
      severity: dspamUserSprawl.severity,
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

const SPRAWL_LABELS: Record<string, string> = {
  "bare-login": "logins without their domain",
  external: "addresses on other servers",
  "alias-or-stale": "aliases or removed accounts",
  "unknown-user": "names of no mailbox",
};

const WHAT: Record<string, { what: string; cause: string; first: string }> = {
  "bare-login": {
    what: "named like IMAP logins without their domain",
    cause:
      "Retraining under the raw IMAP login (`%u` in `antispam_dspam_args`) created them: DSPAM makes a dictionary for every user a retrain names.",
    first: "Make retraining name the full address first",
  },
  external: {
    what: "for addresses on other servers",
    cause:
      "DSPAM was given copies for recipients elsewhere — outgoing mail, or forwards expanded before the filter — and keeps a dictionary for each of them.",
    first: "Keep those copies away from DSPAM first",
  },
  "alias-or-stale": {
    what: "for local addresses no mail is stored for (aliases, or accounts that no longer exist)",
    cause:
      "DSPAM judged mail under an alias (before expansion), or kept the dictionary of a removed account.",
    first: "If they are aliases, expand aliases before DSPAM first",
  },
  "unknown-user": {
    what: "named like nobody's mailbox",
    cause:
      "DSPAM got a user name that matches no mailbox: a retrain or a delivery named a user nobody logs in as.",
    first: "Find which retrain or delivery named them (their evidence)",
  },
};

export const dspamUserSprawl: FindingDefinition = {
  kind: "dspam-user-sprawl",
  title: "DSPAM dictionaries nobody trains",
  severity: "low",
  unit: "DSPAM user",
  detect: { dspamUsers: detectDspamUserSprawl },
  cause: (s) => SPRAWL_LABELS[s.isA ?? ""] ?? s.isA ?? "",
  explain: (facts) => {
    if (isRspamdFinding(facts)) return explainRspamdStrayUsers(facts);
    const about = WHAT[facts.subject.isA ?? ""] ?? WHAT["unknown-user"];
    return {
      summary: `DSPAM keeps ${plural(facts.users.length, "dictionary", "dictionaries")} ${about?.what} — ${list(facts.users, 6)} — and nobody will ever train ${facts.users.length === 1 ? "it" : "them"}.`,
      cause: `${about?.cause} Each is a dictionary on disk; its verdicts, if any, are guesses.`,
      fix: `${about?.first}, then remove the dictionaries: ${REMOVE_DICTIONARY}.`,
    };
  },
  related: (subject): RelatedFinding[] =>
    subject.isA === "bare-login"
      ? [{ kind: "training-misdirected", subject: { cause: "bare-login" } }]
      : subject.isA === "external"
        ? [
            { kind: "verdict-on-outgoing" },
            { kind: "classified-under-alias", subject: { userIs: "external" } },
          ]
        : subject.isA === "alias-or-stale"
          ? [{ kind: "classified-under-alias", subject: { userIs: "alias" } }]
          : [],
  reason: (t) =>
    t.filter === "DSPAM"
      ? `${plural(t.evidence, "DSPAM dictionary", "DSPAM dictionaries")} that nobody trains`
      : `${plural(t.evidence, t.userWord)} of ${t.filter} that are nobody's mailbox`,
};
