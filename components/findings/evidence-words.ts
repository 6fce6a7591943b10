import { formatStamp } from "@/lib/core/display-zone";

// A detector's facts (FindingEvidence.detail, lib/detect/*) as an administrator reads them: labels
// in words, times in the display zone, codes spelled out. Facts not named here still show, with
// their name split into words, so a new detector's facts are never hidden.

export type EvidenceFact = { label: string; value: string };

/** A camelCase fact name as words: queueIds → "queue ids". */
const spell = (key: string) =>
  key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase();

/** A value as words: a list joined, a record as its facts ("copies 2"), never "[object Object]". */
const list = (value: unknown): string =>
  Array.isArray(value)
    ? value.map((v) => (isRecord(v) ? `(${record(v)})` : String(v))).join(", ")
    : isRecord(value)
      ? record(value)
      : String(value);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);
const record = (value: Record<string, unknown>): string =>
  Object.entries(value)
    .map(([k, v]) => `${spell(k)} ${list(v)}`)
    .join(", ");
const time = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) ? formatStamp(value) : String(value);
const words =
  (table: Record<string, string>) =>
  (value: unknown): string =>
    table[String(value)] ?? String(value);

/** duplicate-delivery's facts (lib/detect/duplicate-delivery.ts): one sentence per address. */
const duplicates = (value: unknown): string =>
  Array.isArray(value)
    ? value
        .map((d: { recipient?: unknown; copies?: unknown; queueIds?: unknown; via?: unknown }) => {
          const via = Array.isArray(d.via) ? d.via.map(String) : [];
          const written =
            via.length && !(via.length === 1 && via[0] === d.recipient)
              ? `, written to ${via.join(", ")}`
              : "";
          return `${String(d.recipient)}: ${String(d.copies)} copies (queues ${list(d.queueIds ?? [])}${written})`;
        })
        .join("; ")
    : list(value);

const WHAT_USER_IS = words({
  external: "an address on another server",
  alias: "an alias, not a mailbox",
  "alias-or-stale": "an alias or an account that no longer exists",
  "bare-login": "a login without its domain",
  "unknown-user": "a name that matches no mailbox",
});

const FACTS: Record<string, { label: string; value?: (value: unknown) => string }> = {
  lastSeen: { label: "last seen", value: time },
  firstSeen: { label: "first seen", value: time },
  isA: { label: "this DSPAM user is", value: WHAT_USER_IS },
  userIs: { label: "the DSPAM user is", value: WHAT_USER_IS },
  classified: { label: "messages it classified" },
  retrainTargets: { label: "retrainings aimed at it" },
  deliveredTo: { label: "delivered to", value: list },
  duplicates: { label: "delivered more than once", value: duplicates },
  judgedAs: { label: "judged as DSPAM user", value: list },
  from: { label: "from" },
  via: {
    label: "entered Postfix",
    value: words({
      authenticated: "from a logged-in user",
      sendmail: "through sendmail/pickup (cron jobs, scripts)",
      "smtp-localhost": "over SMTP from this server without login (web scripts)",
    }),
  },
  fates: { label: "what became of the copies", value: list },
  copies: { label: "copies delivered" },
  queueIds: { label: "queues of the copies", value: list },
  destination: {
    label: "delivered",
    value: words({ external: "to another server", mailbox: "into a mailbox here" }),
  },
  login: { label: "IMAP login" },
  target: { label: "retraining sent to DSPAM user" },
  classifiedBy: { label: "classified by" },
  direction: { label: "moved as", value: words({ spam: "spam", innocent: "not spam" }) },
  outcome: {
    label: "DSPAM's answer",
    value: words({ applied: "learnt it", failed: "did not learn it", unknown: "not logged" }),
  },
  signature: { label: "DSPAM signature" },
  dspamSaid: { label: "DSPAM logged" },
  service: { label: "Postfix service" },
  saslUsername: { label: "logged in as" },
  saslMethod: { label: "login method" },
  client: { label: "client" },
  sender: { label: "sender" },
  origin: {
    label: "origin",
    value: words({
      inbound: "from the Internet",
      authenticated: "sent by a logged-in user",
      local: "made on this server",
    }),
  },
  pickupUid: { label: "local user id (sendmail)", value: (v) => (v === 0 ? "0 (root)" : String(v)) },
  verdicts: { label: "DSPAM's verdicts", value: list },
  attempts: { label: "hand-off attempts" },
  statuses: { label: "Postfix said", value: list },
  reply: { label: "the filter answered" },
  filter: { label: "content filter" },
  text: { label: "DSPAM logged" },
};

/** Facts whose value is yes/no: said as a sentence when true, left out when false. */
const FLAGS: Record<string, string> = {
  loginHasNoDomain: "The login was typed without its domain, so %u sent the retraining to that bare name.",
  taggedSpam: "DSPAM tagged it as spam.",
};

/** The facts of one piece of evidence as label/value words, and its yes/no facts as sentences. */
export function describeEvidenceDetail(detail: Record<string, unknown>): {
  facts: EvidenceFact[];
  notes: string[];
} {
  const facts: EvidenceFact[] = [];
  const notes: string[] = [];
  for (const [key, value] of Object.entries(detail)) {
    if (value === null || value === undefined || value === "") continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === "boolean") {
      const sentence = FLAGS[key];
      if (sentence) {
        if (value) notes.push(sentence);
      } else facts.push({ label: spell(key), value: value ? "yes" : "no" });
      continue;
    }
    const known = FACTS[key];
    const shown = known?.value ? known.value(value) : list(value);
    facts.push({ label: known?.label ?? spell(key), value: shown });
  }
  return { facts, notes };
}

/**
 * What a piece of evidence is about when it is no message: a DSPAM user, a retraining or a log
 * line, from its stored reference (FindingEvidence.ref, lib/detect/types.ts).
 */
export function describeEvidenceRef(ref: string): { text: string; user?: string } {
  if (ref.startsWith("dspam-user:")) {
    const user = ref.slice("dspam-user:".length);
    return { text: "DSPAM user", user };
  }
  if (ref.startsWith("line:")) return { text: `log line #${ref.slice("line:".length)}` };
  // A retraining: signature/second/target user.
  const training = /^[^/]+\/\d+\/(.+)$/.exec(ref);
  if (training?.[1]) return { text: "a retraining aimed at DSPAM user", user: training[1] };
  return { text: "a message" };
}
