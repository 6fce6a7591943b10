import type { JourneyRecord } from "../core/journey.ts";
import { DSPAM_AS_MAILBOX_TRANSPORT, EXPAND_BEFORE_DSPAM } from "../filters/dspam/fixes.ts";
import {
  explainRspamdAlias,
  isRspamdFinding,
  judgedByRspamd,
  RSPAMD_SUBJECT,
} from "../filters/rspamd/findings.ts";
import { judgedCopies } from "./copies.ts";
import type { FindingDefinition, RelatedFinding } from "./definition.ts";
import type { DetectContext, Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";
import { list, plural } from "./words.ts";

/**
 * DSPAM classified a copy under a user nobody logs in as: a copy that landed in Carol's mailbox but
 * was judged as sales@ (aliases expanded only after DSPAM), or inbound mail judged under an external
 * forward address. Nobody can ever retrain that dictionary.
 */
export function detectClassifiedUnderAlias(journey: JourneyRecord, ctx: DetectContext): Evidence[] {
  const byUser = new Map<string, { recipients: Set<string>; lines: number[]; reason: string }>();
  const note = (user: string, reason: string, recipients: string[], lines: number[]) => {
    const entry = byUser.get(user) ?? { recipients: new Set(), lines: [], reason };
    for (const r of recipients) entry.recipients.add(r);
    entry.lines.push(...lines);
    byUser.set(user, entry);
  };
  for (const copy of judgedCopies(journey)) {
    // A global statistics store belongs to nobody: it cannot be an alias's.
    if (copy.filterUser === null) continue;
    const user = lower(copy.filterUser);
    const inMailboxes = copy.deliveries.filter((d) => d.destination === "mailbox" && d.status === "sent");
    for (const d of inMailboxes) {
      const landedIn = lower(d.mailbox?.user ?? d.recipient);
      if (sameMailbox(user, landedIn)) continue;
      // One scan per SMTP transaction (a milter): another person's copy carries this person's Bayes.
      if (ctx.mailboxes.has(user)) {
        if (copy.filter === "rspamd") note(user, "another-recipient", [lower(d.recipient)], [d.lineId]);
        continue;
      }
      note(user, ctx.isLocalRecipient(user) ? "alias" : "external", [lower(d.recipient)], [d.lineId]);
    }
    // Inbound mail judged under an address elsewhere (a forward target), whatever became of that copy.
    if (inMailboxes.length === 0 && journey.origin === "inbound" && !ctx.isLocalRecipient(user))
      note(user, "external", copy.recipients, copy.lineIds.slice(1));
  }
  // One piece of evidence per message and cause (a message may have copies of both kinds).
  const evidence: Evidence[] = [];
  for (const userIs of ["external", "alias", "another-recipient"]) {
    const users = [...byUser].filter(([, e]) => e.reason === userIs);
    if (users.length === 0) continue;
    evidence.push({
      kind: "classified-under-alias",
      subject: { userIs, ...(judgedByRspamd(journey) ? RSPAMD_SUBJECT : {}) },
      severity: classifiedUnderAlias.severity,
      ref: journey.key,
      ts: journey.firstTs,
      messageId: journey.messageId,
      journeyKey: journey.key,
      users: users.map(([user]) => user).sort(),
      recipients: unique(users.flatMap(([, e]) => [...e.recipients])),
      detail: { userIs, judgedAs: users.map(([user]) => user).sort() },
      lineIds: [
        ...users.flatMap(([, e]) => e.lines),
        ...journey.verdicts
          .filter((v) => v.filterUser !== null && byUser.get(lower(v.filterUser))?.reason === userIs)
          .map((v) => v.lineId),
      ],
    });
  }
  return evidence;
}

// Dovecot may know the user without its domain.
function sameMailbox(dspamUser: string, mailbox: string): boolean {
  return dspamUser === mailbox || dspamUser.split("@")[0] === mailbox || mailbox.split("@")[0] === dspamUser;
}

export const classifiedUnderAlias: FindingDefinition = {
  kind: "classified-under-alias",
  title: "Mail judged under an alias or a forward",
  severity: "high",
  unit: "message",
  detect: { journey: detectClassifiedUnderAlias },
  cause: (s) =>
    s.userIs === "alias"
      ? "aliases judged instead of the people"
      : s.userIs === "another-recipient"
        ? "one recipient's Bayes for every recipient"
        : "forward targets on other servers",
  explain: (facts) =>
    isRspamdFinding(facts)
      ? explainRspamdAlias(facts)
      : facts.subject.userIs === "alias"
        ? {
            summary: `DSPAM judged ${plural(facts.count, "message")} under ${plural(facts.users.length, "alias", "aliases")} instead of the people behind ${facts.users.length === 1 ? "it" : "them"}: ${list(facts.users)}; delivered to ${list(facts.recipients)}.`,
            cause:
              "DSPAM was given the recipient before alias expansion (`receive_override_options=no_address_mappings` where mail enters, as FILTER_README shows for filters with one global model), so it judged the mail under the alias, and the people behind it retrain their own dictionaries instead. Nobody can ever retrain the alias's dictionary.",
            fix: `Expand aliases before DSPAM and not after: remove \`no_address_mappings\` from the port-25 smtpd's \`receive_override_options\` (and from main.cf), and ${EXPAND_BEFORE_DSPAM}.`,
          }
        : {
            summary: `DSPAM judged ${plural(facts.count, "message")} under ${plural(facts.users.length, "address", "addresses")} on other servers, forward targets nobody can retrain: ${list(facts.users)}.`,
            cause:
              "A local alias or forward sends copies to an address on another server. Postfix expands it before the content filter, and the filter gets a copy for every recipient, so DSPAM judges the forwarded copy under a dictionary named after the forward target. Nobody logs in as that address: nobody can ever retrain it, and its mistakes stay.",
            fix: `${DSPAM_AS_MAILBOX_TRANSPORT}.`,
          },
  related: (subject): RelatedFinding[] =>
    subject.userIs === "alias"
      ? [
          { kind: "training-misdirected", subject: { cause: "other-user" } },
          { kind: "dspam-user-sprawl", subject: { isA: "alias-or-stale" } },
        ]
      : [{ kind: "duplicate-delivery" }, { kind: "dspam-user-sprawl", subject: { isA: "external" } }],
  reason: (t) =>
    `${plural(t.messages, "message")} judged under ${t.filter === "DSPAM" ? "dictionaries" : `${t.userWord}s`} nobody can retrain (aliases, forward targets${t.filter === "DSPAM" ? "" : ", other recipients"})`,
};
