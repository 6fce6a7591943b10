import type { FindingKind, Severity } from "./types.ts";

/** A finding as the read side aggregates it, enough to explain it. */
export type FindingFacts = {
  kind: FindingKind;
  subject: Record<string, string>;
  severity: Severity;
  count: number;
  users: string[];
  recipients: string[];
  /** The `detail` objects of its evidence. */
  details: Record<string, unknown>[];
};

export type Explanation = {
  /** One line: what is wrong, with numbers. */
  summary: string;
  /** Why it happens, in the configuration's terms. */
  cause: string;
  /** The change that fixes it. */
  fix: string;
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const list = (values: string[], max = 4) =>
  values.length <= max
    ? values.join(", ")
    : `${values.slice(0, max).join(", ")} and ${values.length - max} more`;
const values = (facts: FindingFacts, field: string) =>
  [
    ...new Set(
      facts.details.map((d) => d[field]).filter((v): v is string => typeof v === "string" && v !== ""),
    ),
  ].sort();
const anyTrue = (facts: FindingFacts, field: string) => facts.details.some((d) => d[field] === true);
const arrays = (facts: FindingFacts, field: string) =>
  [...new Set(facts.details.flatMap((d) => (Array.isArray(d[field]) ? (d[field] as string[]) : [])))].sort();

/** The smtpd service as an administrator knows it: syslog_name postfix is master.cf's `smtp inet` on port 25. */
export function describeService(service: string): string {
  if (service === "postfix" || service === "") return "the port-25 smtpd (postfix/smtpd)";
  const name = service.split("/").at(-1) ?? service;
  if (name === "submission") return `the submission smtpd (port 587, ${service}/smtpd)`;
  if (name === "smtps") return `the smtps smtpd (port 465, ${service}/smtpd)`;
  return `${service}/smtpd`;
}

const SPLIT_SMTP =
  "split the port-25 service in master.cf in two: `127.0.0.1:smtp inet n - n - - smtpd` without a content filter for mail made on the server, and `<public IP>:smtp inet … smtpd -o content_filter=…` for mail from the Internet";

/** Words a mail administrator acts on, for each kind of finding. */
export function explain(facts: FindingFacts): Explanation {
  const s = facts.subject;
  const n = facts.count;
  switch (facts.kind) {
    case "duplicate-delivery":
      return {
        summary: `${s.recipient} received ${plural(n, "message")} more than once: the same Message-ID through different queues, addressed to ${list(arrays(facts, "via"))}.`,
        cause:
          "Aliases are expanded twice, once before the content filter and again after it: Postfix expands an alias such as root@ or bob@ before handing the message to DSPAM, DSPAM reinjects one copy per expanded recipient, and the reinjection smtpd expands the aliases again, so an address reached through an alias gets another copy.",
        fix: "Expand aliases only once, before DSPAM: add `-o receive_override_options=no_address_mappings` to the reinjection service in master.cf (the smtpd DSPAM delivers to, e.g. 127.0.0.1:10026) and do not set it on the port-25 smtpd. If mail from sendmail (pickup) is filtered too, it is expanded before the filter the same way.",
      };
    case "classified-under-alias": {
      const external = values(facts, "userIs").includes("external");
      return {
        summary: `DSPAM classified ${plural(n, "message")} under ${s.user}, which is ${external ? "an external address" : "an alias, not a person's mailbox"}; delivered to ${list(facts.recipients)}.`,
        cause: external
          ? `A local alias forwards to ${s.user}; it was expanded before DSPAM, so DSPAM judged that copy under a dictionary of its own. Nobody logs in as ${s.user}: nobody can ever retrain it, and its mistakes stay.`
          : `DSPAM was given the recipient before alias expansion (no_address_mappings on the port-25 smtpd), so it judged the mail under ${s.user} and the people behind the alias retrain their own dictionaries instead. Nobody can ever retrain ${s.user}.`,
        fix: external
          ? `Expand aliases before DSPAM and not after (no_address_mappings on the reinjection service only), and keep external forward targets out of the filter (filter only local recipients), so that the person's own dictionary judges the mail.`
          : "Move `-o receive_override_options=no_address_mappings` from the port-25 smtpd to the reinjection service in master.cf: then DSPAM and dovecot-antispam both see the expanded, personal addresses.",
      };
    }
    case "training-misdirected": {
      const logins = values(facts, "login");
      const bare = anyTrue(facts, "loginHasNoDomain");
      return {
        summary: `${plural(n, "retraining")} by ${logins.length ? `IMAP login ${list(logins)}` : "users"} went to DSPAM user ${s.target}, but ${s.classifiedBy} classified the mail: DSPAM learnt nothing${values(facts, "dspamSaid").some((t) => t.includes("valid signature")) ? ' (it logged "Unable to find a valid signature")' : ""}, while the mail client showed the move as done.`,
        cause: bare
          ? "dovecot-antispam passes the IMAP login to dspam (`%u` in antispam_dspam_args). Users who log in without the domain retrain a DSPAM user named like the bare login (data/<login>/), which has no signature of the mail: DSPAM classified it under the full address."
          : "The mail was classified under another DSPAM user (an alias or another address) than the one the person retrains.",
        fix: bare
          ? "Do not pass the raw login to dspam: in Dovecot's antispam settings use the address DSPAM classifies under, e.g. `antispam_dspam_args = --deliver=;--client;--user;%n@example.com` on a one-domain server, or make logins full addresses (auth_username_format = %Lu plus a default domain). Then ask the users to move the affected messages again."
          : "Classify under the person, not the alias: expand aliases before DSPAM (no_address_mappings only on the reinjection service).",
      };
    }
    case "training-failed":
      return {
        summary: `${plural(n, "retraining")} for DSPAM user ${s.user} failed${values(facts, "dspamSaid")[0] ? `: ${values(facts, "dspamSaid")[0]}` : ""}.`,
        cause:
          "DSPAM could not apply the retrain: the signature was missing or expired, or dspam itself failed.",
        fix: "Check that retrained messages still carry their X-DSPAM-Signature header, that signatures are kept long enough (PurgeSignatures in dspam.conf), and that the dspam binary can be run by the mail user (dovecot-antispam reports `Failed to call dspam` to the client only).",
      };
    case "verdict-on-authenticated":
      return {
        summary: `${plural(n, "message")} sent by ${s.user} after logging in on ${describeService(s.service ?? "")} went through DSPAM${anyTrue(facts, "taggedSpam") ? ", some tagged Spam" : ""}.`,
        cause:
          "The smtpd that feeds the content filter also accepts authenticated users' mail and filters it like mail from strangers: their mail clients submit on port 25 instead of 587.",
        fix: "Have users submit on port 587 (submission, not filtered), and refuse authentication on port 25: add `-o smtpd_sasl_auth_enable=no` to the port-25 smtpd in master.cf.",
      };
    case "auth-on-port-25":
      return {
        summary: `SASL authentication is accepted on ${describeService(s.service ?? "")}, which receives mail from the Internet and feeds the content filter: ${plural(n, "authenticated message")} from ${list(facts.users)}.`,
        cause:
          "smtpd_sasl_auth_enable is on for the port-25 service, so mail clients configured for port 25 work — and their mail is filtered like mail from strangers.",
        fix: "Add `-o smtpd_sasl_auth_enable=no` to the port-25 smtpd in master.cf and move those users to port 587.",
      };
    case "verdict-on-outgoing":
      return {
        summary: `${plural(n, "message")} from ${s.from} to external recipients (${list(facts.recipients)}) went through DSPAM${anyTrue(facts, "taggedSpam") ? ", some tagged Spam" : ""}.`,
        cause:
          "Outgoing mail passes the content filter (authenticated mail on port 25, or scripts using the port-25 smtpd). If DSPAM tags it spam nobody will notice, only root can retrain those dictionaries, and DSPAM creates a dictionary for every external recipient.",
        fix: `Filter only mail from the Internet: submit on 587, and ${SPLIT_SMTP}.`,
      };
    case "verdict-on-local": {
      const sendmail = s.via === "sendmail";
      return {
        summary: `${plural(n, "message")} made on the server itself (${sendmail ? "sendmail/pickup: cron jobs, scripts" : "SMTP from localhost without login: web scripts"}) from ${s.from} went through DSPAM${anyTrue(facts, "taggedSpam") ? ", some tagged Spam" : ""}.`,
        cause: sendmail
          ? "content_filter is set in main.cf, so it applies to pickup too: cron and script mail is judged as if it came from the Internet."
          : "Scripts connect to the same smtpd that receives mail from the Internet, and that smtpd filters everything it receives.",
        fix: sendmail
          ? "Set the content filter only on the port-25 smtpd (`-o content_filter=…` in master.cf) instead of in main.cf, so pickup is not filtered."
          : `${SPLIT_SMTP[0]?.toUpperCase()}${SPLIT_SMTP.slice(1)}.`,
      };
    }
    case "dspam-user-sprawl": {
      const isA = values(facts, "isA")[0] ?? "unknown-user";
      const what: Record<string, string> = {
        "bare-login":
          "a login without its domain, created by retraining under the raw IMAP login (see training-misdirected)",
        external:
          "an external address, created because DSPAM was given mail for a recipient elsewhere (outgoing mail or a forward)",
        "alias-or-stale": "an alias or an account that no longer exists",
        "unknown-user": "a name that matches no mailbox",
      };
      return {
        summary: `DSPAM keeps a dictionary for ${s.user}, which is not anyone's mailbox: ${what[isA] ?? isA}.`,
        cause:
          "Each DSPAM user is a dictionary on disk that nobody will ever train; its verdicts, if any, are guesses.",
        fix: "Fix the cause (see the other findings), then remove the dictionary: check it with `dspam_stats <user>` and delete it (hash driver: the <user> directory under DSPAM's data directory, e.g. /var/spool/dspam/data/<user>/).",
      };
    }
    case "filter-problem":
      return explainFilterProblem(facts);
  }
}

function explainFilterProblem(facts: FindingFacts): Explanation {
  const s = facts.subject;
  const n = facts.count;
  switch (s.problem) {
    case "filter-unavailable":
      return {
        summary: `${plural(n, "message")} could not be handed to the content filter at ${s.relay} (${list(values(facts, "statuses"))}).`,
        cause: `Postfix could not deliver to the filter: ${values(facts, "reply")[0] ?? "the filter did not answer"}. Mail waits in the queue (or bounces) until it does.`,
        fix: "Check that the DSPAM daemon runs and that its socket or port is reachable by Postfix (permissions of the unix socket, ServerDomainSocketPath in dspam.conf); `postqueue -f` retries the waiting mail.",
      };
    case "unfiltered-inbound":
      return {
        summary: `${plural(n, "inbound message")} on ${describeService(s.service ?? "")} reached mailboxes without passing the content filter.`,
        cause:
          "Most mail on this service is filtered, these were not: an access map or header check without FILTER, a content_filter override, or a second path into the same service.",
        fix: "Look at one of them with `spamtrail message <id>` and compare its queue lines with a filtered one; check master.cf overrides and FILTER actions in access maps.",
      };
    case "dspam-delivery-agent":
      return {
        summary: `DSPAM's delivery agent failed ${plural(n, "time")}.`,
        cause: values(facts, "text")[0] ?? "dspam could not hand the message on after classifying it.",
        fix: "Check DeliveryHost/DeliveryPort (or the LDA command) in dspam.conf and that the reinjection smtpd accepts DSPAM's connections.",
      };
    default:
      return {
        summary: `DSPAM logged ${plural(n, "error")} while processing mail.`,
        cause: values(facts, "text")[0] ?? "DSPAM failed while processing a message.",
        fix: "Read DSPAM's lines around these times (`spamtrail` keeps them on the Sources page); check its storage driver and the permissions of its data directory.",
      };
  }
}
