import { type AuditModel, assembleModel } from "./assemble.ts";
import { aliasExpansionChecks } from "./checks/alias-expansion.ts";
import { filterRouteChecks } from "./checks/filter-route.ts";
import { filterScopeChecks } from "./checks/filter-scope.ts";
import { trainingChecks } from "./checks/training.ts";
import { rspamdBayesChecks } from "./rspamd/bayes-checks.ts";
import { rspamdScopeChecks } from "./rspamd/scope-checks.ts";
import { type AuditResult, type Check, type ConfigFile, result, SEVERITY_ORDER } from "./types.ts";

/** Every check, in the order results are listed within a severity. */
export const CHECKS: Check<AuditModel>[] = [
  ...aliasExpansionChecks,
  ...filterScopeChecks,
  ...filterRouteChecks,
  ...trainingChecks,
  ...rspamdScopeChecks,
  ...rspamdBayesChecks,
];

export type Audit = { model: AuditModel; results: AuditResult[] };

/** Audits configuration files (texts in, results out; no I/O): parse failures are `unreadable-config` results. */
export function runAudit(files: ConfigFile[]): Audit {
  const model = assembleModel(files);
  const unreadable = model.problems.map((p) =>
    result({
      check: "unreadable-config",
      severity: "medium",
      file: p.file,
      line: p.line,
      setting: null,
      value: model.files.get(p.file)?.[p.line - 1]?.trim() ?? null,
      problem: `Spamtrail cannot read this line: ${p.reason}. Settings on it are not audited.`,
      fix: "Check the line's syntax (postconf and doveconf print the same complaint); until it is readable, the audit of this file is incomplete.",
    }),
  );
  const order = new Map(CHECKS.map((c, i) => [c.id, i]));
  const results = CHECKS.flatMap((check) => {
    try {
      return check.run(model);
    } catch (error) {
      // A check must never take the audit down: its failure is reported like an unreadable file.
      return [
        result({
          check: "unreadable-config",
          severity: "low",
          file: null,
          line: null,
          setting: null,
          value: null,
          problem: `The ${check.id} check failed on this configuration: ${(error as Error).message}`,
          fix: "Report this to Spamtrail's maintainers with the configuration that caused it.",
        }),
      ];
    }
  }).sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (order.get(a.check) ?? 0) - (order.get(b.check) ?? 0),
  );
  return { model, results: [...results, ...unreadable] };
}
