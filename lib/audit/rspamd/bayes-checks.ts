import type { AuditModel } from "../assemble.ts";
import { mailboxDomains, serviceLabel } from "../checks/shared.ts";
import { appendLines, type Change, combine } from "../edits.ts";
import { trainingShape } from "../model/dovecot.ts";
import { effective, listItems, mapReferences } from "../model/postfix.ts";
import { type Check, result } from "../types.ts";
import type { LearnScript } from "./learn-scripts.ts";
import { at, hasRspamd, scannedListeners, setRspamd, type WithRspamd } from "./shared.ts";

const perUserOn = (model: AuditModel): model is WithRspamd =>
  hasRspamd(model) && model.rspamd.bayes.perUserMode === "recipient";

/** Aliases of virtual_alias_maps / alias_maps whose sources were given: addresses that are not one mailbox. */
function aliasKeys(model: AuditModel): string[] {
  const names = ["virtual_alias_maps", "alias_maps"];
  const refs = names.flatMap((n) => mapReferences(effective(model.postfix, null, n).value));
  return refs.flatMap((ref) =>
    (model.postfix.maps.get(ref.path)?.entries ?? [])
      .filter((e) => listItems(e.value).join(",").toLowerCase() !== e.key.toLowerCase())
      .map((e) => e.key),
  );
}

const keyedByAlias: Check<AuditModel> = {
  id: "rspamd-bayes-keyed-by-alias",
  run(model) {
    if (!perUserOn(model)) return [];
    const inbound = scannedListeners(model).filter((l) => l.classes.includes("internet"));
    if (inbound.length === 0) return [];
    const { perUser, file } = model.rspamd.bayes;
    const aliases = aliasKeys(model);
    const change = setRspamd(model, perUser, file, perUser?.name ?? "users_enabled", "false");
    const shown = aliases.slice(0, 4).join(", ");
    return [
      result({
        check: "rspamd-bayes-keyed-by-alias",
        severity: aliases.length > 0 ? "high" : "medium",
        ...at(perUser?.loc ?? null, file),
        setting: perUser?.name ?? "users_enabled",
        value: perUser?.value ?? null,
        problem: `Per-user Bayes (${perUser?.name} = ${perUser?.value}) keys each scan by its principal recipient: the first RCPT TO of the SMTP transaction as the milter sees it on ${inbound.map(serviceLabel).join(", ")}, before Postfix expands aliases. ${aliases.length > 0 ? `Mail to an alias (${shown}${aliases.length > 4 ? `, … ${aliases.length} in all` : ""}) is judged by that alias's Bayes, which nobody trains, not by the people it reaches. ` : ""}A message to several recipients is scored once, with the first recipient's Bayes, for all of them. Rspamd's statistics documentation asks per-user Bayes to be called at final delivery (LDA mode) for this reason. Use one Bayes for the server (every user's retraining then feeds it), or call Rspamd per mailbox at delivery.`,
        fix: change.lines.join("\n"),
        edits: change.edits,
        // A learn by the mailbox owner misses the alias's Bayes that scored the message.
        evidence: ["classified-under-alias", "training-misdirected"],
      }),
    ];
  },
};

/** The Bayes user a learn script trains, and whether it is the address Rspamd keys scans by. */
function trainedUser(model: WithRspamd, script: LearnScript): { ok: boolean; what: string } {
  switch (script.user) {
    case "none":
      return {
        ok: false,
        what: `rspamc is called without -d${script.userHeader ? ` (its -u ${script.userHeader} sets the authenticated user, which Bayes is not keyed by)` : ""}: Rspamd then keys the learn by the message's first To/Cc address, which for mail to aliases, lists or Bcc is not the mailbox owner`,
      };
    case "completed":
      return { ok: true, what: "the login with @domain added when it has none" };
    case "local-part":
      return { ok: false, what: `-d ${script.deliver} is the login without its domain (bob)` };
    case "fixed":
      return { ok: false, what: `-d ${script.deliver} is the same Bayes user for everybody` };
    case "argument": {
      const variable = script.passes?.variable ?? "imap.user";
      if (variable === "imap.email") return { ok: true, what: "the user's address (imap.email)" };
      const shape = model.dovecot ? trainingShape("%u", model.dovecot) : null;
      if (shape?.shape === "full-address") return { ok: true, what: `the login, ${shape.why}` };
      return {
        ok: false,
        what: `-d ${script.deliver} is the raw IMAP login the sieve script passes (${variable}${script.passes ? `, ${script.passes.sieve.file}:${script.passes.sieve.line}` : ""}): ${shape?.why ?? "whatever the user typed at login"}`,
      };
    }
  }
}

const learnUserMismatch: Check<AuditModel> = {
  id: "rspamd-learn-user-mismatch",
  run(model) {
    if (!perUserOn(model)) return [];
    return model.learnScripts.flatMap((script) => {
      const trained = trainedUser(model, script);
      if (trained.ok) return [];
      const change = fixScript(model, script);
      return [
        result({
          check: "rspamd-learn-user-mismatch",
          severity: "high",
          file: script.file,
          line: script.loc.line,
          setting: "rspamc -d",
          value: script.line.trim(),
          problem: `Rspamd keys per-user Bayes by the recipient address (lower-cased), but this ${script.via === "sieve" ? `sieve script's rspamc learn_${script.learnClass} pipe` : `learn_${script.learnClass} script`} trains another user: ${trained.what}. Users whose login differs from their address retrain a Bayes user that never scored their mail; rspamc still exits 0, so the move looks done and nothing is learnt where it counts.`,
          fix: change.lines.join("\n"),
          edits: change.edits,
          evidence: ["training-misdirected", "training-failed"],
        }),
      ];
    });
  },
};

/** Gives rspamc `-d` the login completed with the mail domain when it has none. */
function fixScript(model: WithRspamd, script: LearnScript): Change {
  const domain = mailboxDomains(model)[0] ?? "example.com";
  const { file, line: start, endLine } = script.loc;
  if (script.via === "sieve") return fixSievePipe(model, script, domain);
  const block = ['case "$1" in', '  *@*) user="$1" ;;', `  *)   user="$1@${domain}" ;;`, "esac"];
  const line = script.deliver
    ? script.line.replace(script.deliver, '"$user"')
    : script.line.replace(/\brspamc\b/, 'rspamc -d "$user"');
  return {
    edits: [{ file, startLine: start, endLine, lines: [...block, line] }],
    lines: [...block, line.trim()],
  };
}

/** `${name}` as sieve's variables extension writes it. */
const sieveVariable = (name: string) => `\${${name}}`;

/**
 * A sieve script piping into rspamc itself cannot complete a login; Dovecot can:
 * auth_default_realm gives logins without a domain one, so imap.user is the address.
 */
function fixSievePipe(model: WithRspamd, script: LearnScript, domain: string): Change {
  const realm = `auth_default_realm = ${domain}`;
  const dovecot = model.dovecot;
  const change: Change = dovecot
    ? appendLines(dovecot.file, dovecot.lineCount, [realm])
    : { edits: [], lines: [realm] };
  if (script.user !== "none") return change;
  const { file, line, endLine } = script.loc;
  const set = `if environment :matches "imap.user" "*" { set "username" "${sieveVariable("1")}"; }`;
  const pipe = script.line.replace(/\[\s*/, `[ "-d", "${sieveVariable("username")}", `);
  const lines = (model.files.get(file) ?? []).slice(line - 1, endLine);
  const replaced = lines.join("\n").replace(script.line, `${set}\n${pipe}`).split("\n");
  return combine(change, {
    edits: [{ file, startLine: line, endLine, lines: replaced }],
    lines: [set, pipe],
  });
}

const autolearnOn = (value: string | undefined) =>
  value !== undefined && !/^(false|no|off)$/i.test(value.trim());

const minLearns: Check<AuditModel> = {
  id: "rspamd-min-learns",
  run(model) {
    if (!perUserOn(model)) return [];
    const { minLearns: min, autolearn, file } = model.rspamd.bayes;
    if (autolearnOn(autolearn?.value)) return [];
    const change = setRspamd(model, autolearn, file, "autolearn", "true");
    return [
      result({
        check: "rspamd-min-learns",
        severity: "medium",
        ...at(min.loc, file),
        setting: "min_learns",
        value: min.value,
        problem: `Bayes scores a message only when its Bayes user has at least min_learns = ${min.value}${min.loc ? "" : " (Rspamd's default)"} learns of spam and of ham. With per-user Bayes each address counts alone, and with autolearn ${autolearn ? `= ${autolearn.value}` : "off (the default)"} only manual retraining feeds it: users who seldom move mail, and every alias and outside address, never reach ${min.value} and get no BAYES_SPAM/BAYES_HAM at all (Rspamd logs "not enough learns"). Lowering min_learns only trades this for guesses from a handful of messages.`,
        fix: change.lines.join("\n"),
        edits: change.edits,
      }),
    ];
  },
};

const noRedis: Check<AuditModel> = {
  id: "rspamd-bayes-no-redis",
  run(model) {
    if (!hasRspamd(model) || model.rspamd.source === "dump") return [];
    const { backend, servers, file } = model.rspamd.bayes;
    if (backend.value.toLowerCase() !== "redis" || servers || model.rspamd.redisServers) return [];
    const change = setRspamd(model, null, file, "servers", '"127.0.0.1:6379"');
    return [
      result({
        check: "rspamd-bayes-no-redis",
        severity: "high",
        ...at(backend.loc, file),
        setting: "backend",
        value: backend.value,
        problem: `The Bayes classifier uses backend = redis, but no Redis server is configured, neither in the classifier (servers) nor in local.d/redis.conf: Rspamd logs "cannot load Redis parameters for the classifier", and Bayes neither scores nor learns; every retraining is lost.`,
        fix: change.lines.join("\n"),
        edits: change.edits,
        evidence: ["training-failed"],
      }),
    ];
  },
};

export const rspamdBayesChecks: Check<AuditModel>[] = [keyedByAlias, learnUserMismatch, minLearns, noRedis];
