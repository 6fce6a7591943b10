import type { JourneyRecord } from "../core/journey.ts";
import { judgedCopies } from "./copies.ts";
import type { FindingDefinition } from "./definition.ts";
import type { DetectContext, Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";
import { list, plural, values } from "./words.ts";

/**
 * DSPAM classified a copy under a user nobody logs in as: a copy that landed in Carol's mailbox but
 * was judged as sales@ (aliases expanded only after DSPAM), or inbound mail judged under an external
 * forward address. Nobody can ever retrain that dictionary.
 */
export function detectClassifiedUnderAlias(journey: JourneyRecord, ctx: DetectContext): Evidence[] {
  const byUser = new Map<string, { recipients: Set<string>; lines: number[]; ts: number; reason: string }>();
  const note = (user: string, reason: string, recipients: string[], lines: number[], ts: number) => {
    const entry = byUser.get(user) ?? { recipients: new Set(), lines: [], ts, reason };
    for (const r of recipients) entry.recipients.add(r);
    entry.lines.push(...lines);
    byUser.set(user, entry);
  };
  for (const copy of judgedCopies(journey)) {
    const user = lower(copy.dspamUser);
    const inMailboxes = copy.deliveries.filter((d) => d.destination === "mailbox" && d.status === "sent");
    for (const d of inMailboxes) {
      const landedIn = lower(d.mailbox?.user ?? d.recipient);
      if (sameMailbox(user, landedIn) || ctx.mailboxes.has(user)) continue;
      note(
        user,
        ctx.isLocalRecipient(user) ? "alias" : "external",
        [lower(d.recipient)],
        [d.lineId],
        copy.ts,
      );
    }
    // Inbound mail judged under an address elsewhere (a forward target), whatever became of that copy.
    if (inMailboxes.length === 0 && journey.origin === "inbound" && !ctx.isLocalRecipient(user))
      note(user, "external", copy.recipients, copy.lineIds.slice(1), copy.ts);
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

export const classifiedUnderAlias: FindingDefinition = {
  kind: "classified-under-alias",
  title: "Mail judged under an alias or a forward",
  severity: "high",
  unit: "message",
  detect: { journey: detectClassifiedUnderAlias },
  explain: (facts) => {
    const s = facts.subject;
    const external = values(facts, "userIs").includes("external");
    return {
      summary: `DSPAM classified ${plural(facts.count, "message")} under ${s.user}, which is ${external ? "an external address" : "an alias, not a person's mailbox"}; delivered to ${list(facts.recipients)}.`,
      cause: external
        ? `A local alias forwards to ${s.user}; it was expanded before DSPAM, so DSPAM judged that copy under a dictionary of its own. Nobody logs in as ${s.user}: nobody can ever retrain it, and its mistakes stay.`
        : `DSPAM was given the recipient before alias expansion (no_address_mappings on the port-25 smtpd), so it judged the mail under ${s.user} and the people behind the alias retrain their own dictionaries instead. Nobody can ever retrain ${s.user}.`,
      fix: external
        ? "Expand aliases before DSPAM and not after (no_address_mappings on the reinjection service only), and keep external forward targets out of the filter (filter only local recipients), so that the person's own dictionary judges the mail."
        : "Move `-o receive_override_options=no_address_mappings` from the port-25 smtpd to the reinjection service in master.cf: then DSPAM and dovecot-antispam both see the expanded, personal addresses.",
    };
  },
  reason: (t) =>
    `${plural(t.messages, "message")} judged under ${t.findings === 1 ? "a dictionary" : `${t.findings} dictionaries`} nobody can retrain`,
};
