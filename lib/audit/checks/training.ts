import type { AuditModel } from "../assemble.ts";
import { appendLines, type Change, replaceSettingLine } from "../edits.ts";
import { trainingShape, trainingUserArgument } from "../model/dovecot.ts";
import type { UserShape } from "../model/dspam.ts";
import { type Check, result } from "../types.ts";
import { filteredListeners, isDspamFilter, mailboxDomains } from "./shared.ts";

/** Whose dictionary DSPAM classifies under, from the way Postfix hands it mail. */
function classifierShape(model: AuditModel): { shape: UserShape; why: string } | null {
  const values = filteredListeners(model).flatMap((l) => Object.values(l.filterFor).map((f) => f.value));
  const dspamValue = values.find((v) => isDspamFilter(model, v));
  if (!dspamValue) return model.dspam ? model.dspam.lmtpUser : null;
  const transport = dspamValue.split(":")[0];
  const pipe = model.postfix.services.find(
    (s) => s.name === transport && s.type !== "inet" && s.command === "pipe",
  );
  if (pipe) {
    const argv = pipe.args.join(" ");
    const user = /--user\s+(\S+)/.exec(argv)?.[1] ?? "";
    if (/\$\{?recipient\}?/.test(user))
      return { shape: "full-address", why: `the pipe passes --user ${user} (the full recipient address)` };
    if (/\$\{?user\}?/.test(user))
      return { shape: "local-part", why: `the pipe passes --user ${user} (the recipient's local part)` };
    return { shape: "fixed", why: `the pipe passes --user ${user || "(none)"}` };
  }
  return (
    model.dspam?.lmtpUser ?? {
      shape: "full-address",
      why: "DSPAM judges each message under the recipient address Postfix gives it over LMTP (RCPT TO)",
    }
  );
}

const describe: Record<UserShape, string> = {
  "full-address": "full addresses (bob@example.com)",
  "local-part": "bare names (bob)",
  fixed: "one fixed user",
  "as-typed": "whatever the user typed at login (bob or bob@example.com)",
  unknown: "unknown",
};

const userMismatch: Check<AuditModel> = {
  id: "training-user-mismatch",
  run(model) {
    const dovecot = model.dovecot;
    const args = dovecot?.dspamArgs;
    if (!dovecot || !args || dovecot.antispamBackend?.value.trim().toLowerCase() !== "dspam") return [];
    const classifier = classifierShape(model);
    if (!classifier || (classifier.shape !== "full-address" && classifier.shape !== "local-part")) return [];
    const { template, index } = trainingUserArgument(args.value);
    const training = template
      ? trainingShape(template, dovecot)
      : { shape: "fixed" as UserShape, why: "no --user: dspam retrains the Unix user Dovecot runs as" };
    if (training.shape === classifier.shape) return [];
    const domains = mailboxDomains(model);
    let change: Change;
    if (classifier.shape === "local-part") change = replaceArgs(model, args.loc, args.value, index, "%n");
    else if (domains.length === 1 || template === null || !/%L?u/.test(template))
      change = replaceArgs(model, args.loc, args.value, index, `%n@${domains[0] ?? "example.com"}`);
    else change = appendLines(dovecot.file, dovecot.lineCount, [`auth_default_realm = ${domains[0]}`]);
    return [
      result({
        check: "training-user-mismatch",
        severity: "high",
        file: args.loc.file,
        line: args.loc.line,
        setting: "antispam_dspam_args",
        value: args.value,
        problem: `DSPAM classifies under ${describe[classifier.shape]} (${classifier.why}), but dovecot-antispam retrains ${template ? `--user ${template}` : "without --user"}: ${describe[training.shape]} (${training.why}). Retraining by users whose login differs goes to a DSPAM user that never classified the message: DSPAM answers "Unable to find a valid signature", the mail client shows the move as done, and nothing is learnt.`,
        fix: change.lines.join("\n"),
        edits: change.edits,
        evidence: ["training-misdirected", "dspam-user-sprawl"],
      }),
    ];
  },
};

function replaceArgs(
  model: AuditModel,
  loc: { file: string; line: number; endLine: number },
  value: string,
  index: number,
  user: string,
): Change {
  const parts = value.split(";");
  if (index >= 0 && index < parts.length) {
    const current = parts[index] ?? "";
    parts[index] = current.startsWith("--user=") ? `--user=${user}` : user;
  } else parts.push("--user", user);
  return replaceSettingLine(model.files, loc, `antispam_dspam_args = ${parts.join(";")}`);
}

const folderMismatch: Check<AuditModel> = {
  id: "spam-folder-mismatch",
  run(model) {
    const dovecot = model.dovecot;
    const spam = dovecot?.spamFolders;
    if (!dovecot || !spam) return [];
    const folders = spam.value.split(";").map((f) => f.trim());
    const rules = dovecot.sieves
      .flatMap((s) => s.spamRules)
      .filter((r) => !folders.some((f) => f.toLowerCase() === r.mailbox.toLowerCase()));
    const missing = [...new Set(rules.map((r) => r.mailbox))];
    if (missing.length === 0) return [];
    const change = replaceSettingLine(
      model.files,
      spam.loc,
      `antispam_spam = ${[...folders.filter((f) => f !== ""), ...missing].join(";")}`,
    );
    return [
      result({
        check: "spam-folder-mismatch",
        severity: "medium",
        file: spam.loc.file,
        line: spam.loc.line,
        setting: "antispam_spam",
        value: spam.value,
        problem: `The sieve script files spam into ${missing.map((m) => `"${m}"`).join(", ")} (${rules[0]?.loc.file}:${rules[0]?.loc.line}), which antispam_spam does not list: moving a false positive out of it is not seen as a retrain, so DSPAM never learns from its mistakes there.`,
        fix: change.lines.join("\n"),
        edits: change.edits,
        evidence: ["training-failed"],
      }),
    ];
  },
};

export const trainingChecks = [userMismatch, folderMismatch];
