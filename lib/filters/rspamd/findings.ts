// What the findings say when Rspamd judged or learned the mail: the same kinds as DSPAM's, with
// the causes and fixes in Rspamd's and Postfix's own settings (rspamd.com/doc: statistic.html for
// the classifier's users_enabled and learn_condition, configuration/settings.html for the settings
// module's `authenticated`/`ip` rules, modules/milter_headers.html; Postfix's smtpd_milters).
// A finding is Rspamd's when its subject carries `filter: "rspamd"` (DSPAM's subjects are unchanged).
import type { JourneyRecord, TrainingRecord } from "../../core/journey.ts";
import type { Explanation, FindingFacts } from "../../detect/definition.ts";
import { anyTrue, list, plural, sentence, values } from "../../detect/words.ts";

/** The subject part that makes a finding Rspamd's. NOTE: persisted (finding keys). */
export const RSPAMD_SUBJECT = { filter: "rspamd" } as const;

export const isRspamdFinding = (facts: Pick<FindingFacts, "subject">) => facts.subject.filter === "rspamd";

/** True when Rspamd judged the journey's copies (a milter scan per SMTP transaction). */
export const judgedByRspamd = (journey: JourneyRecord) => journey.verdicts.some((v) => v.filter === "rspamd");

export const isRspamdTraining = (training: TrainingRecord) => training.filter === "rspamd";

const PER_USER_BAYES =
  "With `users_enabled = true` in the Bayes classifier (local.d/classifier-bayes.conf) Rspamd keeps one Bayes per principal recipient: the Deliver-To header, else the first SMTP RCPT as the milter received it — before Postfix expands `virtual_alias_maps` — lower-cased. It scans once per SMTP transaction, so every recipient's copy carries the verdict of that one Bayes";

const ONE_BAYES_FOR_ALL =
  "Score and learn with a Bayes the people train: set `users_enabled = false` in local.d/classifier-bayes.conf (one Bayes for the server) and let the learn scripts call `rspamc learn_spam`/`learn_ham` without `-d`. A per-user Bayes behind a milter is right only for mail to one person: mail to an alias or to several recipients is always scored with the first recipient's Bayes. `rspamc stat` shows how many learns the Bayes holds";

const LEARN_SCRIPT_OUTPUT =
  "rspamc exits 0 when Rspamd refuses a learn: make the learn script check rspamc's output (`success = true;`) and log it, as the scripts read here do";

/** classified-under-alias, Rspamd's words. */
export function explainRspamdAlias(facts: FindingFacts): Explanation {
  if (facts.subject.userIs === "another-recipient")
    return {
      summary: `Rspamd scored ${plural(facts.count, "message")} for several people with one recipient's Bayes (${list(facts.users)}): the copies of ${list(facts.recipients)} carry a verdict their own Bayes never gave.`,
      cause: `${PER_USER_BAYES}. Each person trains their own Bayes, but mail to several people is scored with the first recipient's only: the others' training never applies to their copies.`,
      fix: `${ONE_BAYES_FOR_ALL}.`,
    };
  const alias = facts.subject.userIs === "alias";
  return {
    summary: alias
      ? `Rspamd scored ${plural(facts.count, "message")} with the Bayes of ${plural(facts.users.length, "alias", "aliases")} nobody trains (${list(facts.users)}) instead of the people's: delivered to ${list(facts.recipients)}.`
      : `Rspamd scored ${plural(facts.count, "message")} with the Bayes of ${plural(facts.users.length, "address", "addresses")} on other servers nobody trains: ${list(facts.users)}.`,
    cause: `${PER_USER_BAYES}. Mail to ${alias ? "an alias" : "an address elsewhere (a forward target, an outgoing recipient)"} is scored with a Bayes that has no learns (below \`min_learns\` Rspamd gives no Bayes result at all), and the people's retraining goes to their own Bayes, never to it.`,
    fix: `${ONE_BAYES_FOR_ALL}.`,
  };
}

/** training-misdirected, Rspamd's words. */
export function explainRspamdMisdirected(facts: FindingFacts): Explanation {
  const targets = values(facts, "target");
  const classifiers = values(facts, "classifiedBy");
  return {
    summary: `${sentence(plural(facts.count, "learn"))} went into Bayes ${targets.length === 1 ? "user" : "users"} ${list(targets)}, but the Bayes of ${list(classifiers)} scored the mail: Rspamd learnt it where it changes nothing for that message.`,
    cause: `${PER_USER_BAYES}. The learn script passes the IMAP user (\`rspamc -d <user> learn_spam\`), the person, so mail scored under an alias or another recipient is learned into another Bayes.`,
    fix: `${ONE_BAYES_FOR_ALL}.`,
  };
}

/** training-failed, Rspamd's words: refused by a learn condition, or rspamc failed. */
export function explainRspamdFailed(facts: FindingFacts): Explanation {
  const said = values(facts, "filterSaid")[0];
  const users = `for Bayes ${facts.users.length === 1 ? "user" : "users"} ${list(facts.users)}`;
  const aimedElsewhere = anyTrue(facts, "otherBayesScored");
  if (facts.subject.cause === "refused")
    return {
      summary: `Rspamd refused ${plural(facts.count, "learn")} ${users}${said ? ` ("${said}")` : ""}, while rspamc exited 0 and the mail client showed each move as done.`,
      cause: `The classifier's \`learn_condition\` (Rspamd's default: lua_bayes_learn) refuses a learn when the Bayes it would train already puts the message in that class, or has learned it before.${aimedElsewhere ? " Here that Bayes is not the one that scored the message (an alias's or another recipient's scored it), so the verdict people corrected stays as it was." : ""}`,
      fix: `${aimedElsewhere ? `${ONE_BAYES_FOR_ALL}. ` : ""}${sentence(LEARN_SCRIPT_OUTPUT)}.`,
    };
  return {
    summary: `${sentence(plural(facts.count, "learn"))} ${users} failed${said ? `: ${said}` : ""}.`,
    cause:
      "rspamc could not learn: Rspamd's controller refused the connection or the password, or answered an error.",
    fix: `Check the controller the learn script calls (\`rspamc -h host:11334\`; worker-controller.inc: \`bind_socket\`, \`password\`/\`enable_password\` or \`secure_ip\`), and ${LEARN_SCRIPT_OUTPUT}.`,
  };
}

/** dspam-user-sprawl, Rspamd's words: Bayes users that hold learns but are nobody's mailbox. */
export function explainRspamdStrayUsers(facts: FindingFacts): Explanation {
  const bare = facts.subject.isA === "bare-login";
  return {
    summary: `Rspamd holds learns in ${plural(facts.users.length, "Bayes user")} that ${facts.users.length === 1 ? "is" : "are"} nobody's mailbox — ${list(facts.users, 6)} — and no scan is ever scored with ${facts.users.length === 1 ? "it" : "them"}.`,
    cause: bare
      ? "The learn script passed the IMAP login as typed (`rspamc -d <login>`): Rspamd keeps a Bayes per name it is given (Redis key `RS<user>`, lower-cased), while mail is scored under the full recipient address."
      : "A learn named a user no mail is delivered to (an alias, an address elsewhere, a removed account): Rspamd keeps a Bayes for every user `rspamc -d` names.",
    fix: `${bare ? "Make the learn script pass the full address (append the domain to logins without one, or pass `%u` only when Dovecot's `auth_default_realm` completes it), " : "Pass the mailbox's address to `rspamc -d`, "}then delete the stray Bayes keys in Redis (\`redis-cli --scan --pattern 'RS<user>*'\` shows them).`,
  };
}

/** verdict-on-authenticated / -outgoing / -local, Rspamd's words: the milter scans that mail too. */
export function explainRspamdScope(facts: FindingFacts, who: string): Explanation {
  return {
    summary: `${sentence(plural(facts.count, "message"))} ${who} went through Rspamd's milter${anyTrue(facts, "taggedSpam") ? ", some tagged spam (add header, rewrite subject or reject)" : ""}.`,
    cause:
      "Postfix's `smtpd_milters` sends every SMTP transaction of the services it applies to through Rspamd, whoever sends it; without a settings rule for them Rspamd applies the actions it applies to strangers' mail (and milter_headers marks it with `skip_local`/`skip_authenticated` false), and its per-user Bayes is keyed by the outside recipient, whose Bayes nobody trains.",
    fix: 'Give that mail its own rule in Rspamd\'s settings module (local.d/settings.conf), e.g. `outbound { priority = high; authenticated = true; apply { actions { reject = null; "add header" = null; "rewrite subject" = null; } } }` and the same with `ip = "127.0.0.1";` for scripts on this machine, or take the milter off that service in master.cf (`-o smtpd_milters=`; it also stops DKIM signing by Rspamd there).',
  };
}
