import { readAndAudit, recordAudit } from "../../audit/audit-configuration.ts";
import { displayFile, renderAuditText } from "../../audit/render-text.ts";
import type { AuditResult } from "../../audit/types.ts";
import { resolveDatabaseTarget } from "../../db/database-url.ts";
import { openAppDatabase } from "../../db/open-app-database.ts";
import { postgresPool } from "../../db/postgres.ts";
import { prismaFor } from "../../db/prisma.ts";
import { openReadClient } from "../../db/read-client.ts";
import { saveConfigSnapshot } from "../../store/config-snapshots.ts";
import { saveConfigSnapshotPostgres } from "../../store/postgres/config-snapshots.ts";
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

export const auditCommand: Command = {
  name: "audit",
  summary: "Audit the Postfix, Dovecot and DSPAM configuration: the line behind each problem and its fix.",
  usage: "spamtrail audit [--db PATH|URL] [--json] [PATH...]",
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
  database: "when given",
  postgresql: true,
  async run(args, io) {
    const dbPath = typeof args.values.db === "string" ? stringOption(args, "db") : undefined;
    const checked = await readAndAudit(args.positionals, io.env);
    const { read, audit } = checked;
    let { results } = checked;
    let snapshot: { id: number; changed: boolean } | null = null;
    const target = dbPath === undefined ? undefined : resolveDatabaseTarget(dbPath, io.env);
    if (target?.kind === "postgresql") {
      const { prisma, close } = await openReadClient(target);
      const pool = postgresPool(target.url, { max: 1, application: "spamtrail audit" });
      try {
        ({ results, snapshot } = await recordAudit(checked, {
          prisma,
          save: (input) => saveConfigSnapshotPostgres(pool, input),
          paths: args.positionals,
          now: Date.now(),
        }));
      } finally {
        await pool.end();
        await close();
      }
    } else if (dbPath !== undefined) {
      const { db, path } = openAppDatabase(dbPath, io.env);
      try {
        ({ results, snapshot } = await recordAudit(checked, {
          prisma: prismaFor(path),
          save: (input) => saveConfigSnapshot(db, input),
          paths: args.positionals,
          now: Date.now(),
        }));
      } finally {
        db.close();
      }
    }
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
        : [
            `read ${read.files.length} file${read.files.length === 1 ? "" : "s"}: ${read.files.map((f) => displayFile(f.path)).join(", ")}`,
          ]),
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
