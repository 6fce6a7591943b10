import { joinEvidence } from "../../audit/evidence.ts";
import {
  type ConfigRead,
  commandRunner,
  readConfigPaths,
  readServerConfig,
} from "../../audit/read-config.ts";
import { displayFile, renderAuditText } from "../../audit/render-text.ts";
import { type Audit, runAudit } from "../../audit/run-audit.ts";
import { effectiveSettings } from "../../audit/settings.ts";
import { type AuditResult, result } from "../../audit/types.ts";
import { openAppDatabase } from "../../db/open-app-database.ts";
import { prismaFor } from "../../db/prisma.ts";
import { getFindingSummaries } from "../../queries/config-audit.ts";
import { saveConfigSnapshot } from "../../store/config-snapshots.ts";
import { type Command, DB_OPTION, flag, stringOption } from "../command.ts";

/** The `spamtrail audit --json` contract (README): one object per result. */
export function auditResultToJson(r: AuditResult) {
  return {
    check: r.check,
    severity: r.severity,
    file: r.file,
    line: r.line,
    setting: r.setting,
    value: r.value,
    service: r.service,
    problem: r.problem,
    fix: r.fix,
    evidence: r.evidence,
    evidenceStatus: r.evidenceStatus,
    evidenceNote: r.evidenceNote,
    edits: r.edits,
  };
}

/** Reads, audits and (with a database) joins the evidence and stores the snapshot; shared with follow. */
export async function auditConfiguration(options: {
  paths: string[];
  dbPath?: string;
  now: number;
  env: NodeJS.ProcessEnv;
}): Promise<{
  read: ConfigRead;
  audit: Audit;
  results: AuditResult[];
  snapshot: { id: number; changed: boolean } | null;
}> {
  const read =
    options.paths.length > 0
      ? readConfigPaths(options.paths)
      : await readServerConfig(commandRunner(options.env));
  const audit = runAudit(read.files);
  const unreadable = read.unreadable.map((u) =>
    result({
      check: "unreadable-config",
      severity: "medium",
      file: u.file,
      line: null,
      setting: null,
      value: null,
      problem: `Spamtrail cannot read this file: ${u.reason}.`,
      fix: "Give a readable copy (run the audit as a user who can read it), or the output of postconf -n / -M / -P and doveconf -n saved to files.",
    }),
  );
  let results = [...audit.results, ...unreadable];
  let snapshot: { id: number; changed: boolean } | null = null;
  if (options.dbPath !== undefined) {
    const { db, path } = openAppDatabase(options.dbPath === "" ? undefined : options.dbPath);
    try {
      results = joinEvidence({ ...audit, results }, await getFindingSummaries(prismaFor(path)));
      if (read.files.length > 0) {
        const source =
          options.paths.length > 0 ? options.paths.join(", ") : read.files.map((f) => f.path).join(", ");
        snapshot = saveConfigSnapshot(db, {
          settings: effectiveSettings(audit.model),
          results,
          source,
          now: options.now,
        });
      }
    } finally {
      db.close();
    }
  }
  return { read, audit, results, snapshot };
}

export const auditCommand: Command = {
  name: "audit",
  summary: "Audit the Postfix, Dovecot and DSPAM configuration: the line behind each problem and its fix.",
  usage: "spamtrail audit [--db PATH] [--json] [PATH...]",
  help: `
PATH: configuration files or directories (main.cf, master.cf and their maps, postconf -n/-M/-P
output saved to files, dovecot.conf with conf.d or doveconf -n output, dspam.conf, sieve scripts;
a copy of /etc is walked). Without PATH: runs postconf and doveconf and reads /etc/postfix,
/etc/dovecot and /etc/dspam. With --db, each problem is compared with what the logs in the
database show, and the configuration is stored as a snapshot when it changed.`,
  options: {
    db: { ...DB_OPTION, description: `${DB_OPTION.description}; compare with the logs and keep a snapshot` },
    json: { type: "boolean", description: "print a JSON array of results (fields in the README)" },
  },
  positionals: { min: 0, max: Number.POSITIVE_INFINITY },
  async run(args, io) {
    const dbPath = typeof args.values.db === "string" ? stringOption(args, "db") : undefined;
    const { read, audit, results, snapshot } = await auditConfiguration({
      paths: args.positionals,
      dbPath,
      now: Date.now(),
      env: io.env,
    });
    if (read.files.length === 0 && read.unreadable.length === 0) {
      io.stderr.write(`spamtrail audit: no configuration found (${read.notes.join("; ")})\n`);
      return 1;
    }
    if (flag(args, "json")) {
      io.stdout.write(`${JSON.stringify(results.map(auditResultToJson), null, 2)}\n`);
      return 0;
    }
    const notes = [
      ...(args.positionals.length === 0
        ? read.notes
        : [`read ${read.files.map((f) => displayFile(f.path)).join(", ")}`]),
      ...(snapshot
        ? [
            snapshot.changed
              ? `configuration stored as snapshot #${snapshot.id} (it changed)`
              : `configuration unchanged since snapshot #${snapshot.id}`,
          ]
        : []),
    ];
    io.stdout.write(renderAuditText(results, { notes, setAside: audit.model.setAside }));
    return 0;
  },
};
