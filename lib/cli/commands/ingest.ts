import { bytes, count, duration, table } from "../../core/format.ts";
import { describeTarget, resolveDatabaseTarget } from "../../db/database-url.ts";
import { migratePostgres } from "../../db/migrate-postgres.ts";
import { openAppDatabase } from "../../db/open-app-database.ts";
import { postgresPool } from "../../db/postgres.ts";
import { FILE_KINDS, type FileKind } from "../../ingest/file-kind.ts";
import type { IngestProgress } from "../../ingest/ingest.ts";
import { ingestLogs } from "../../ingest/ingest-logs.ts";
import { ingestLogsPostgres } from "../../ingest/ingest-postgres.ts";
import {
  type Command,
  DB_OPTION,
  LOCAL_DOMAIN_OPTION,
  localDomains,
  stringOption,
  UsageError,
  yearOption,
} from "../command.ts";
import { progressBar } from "../progress-bar.ts";
import { rawOutput } from "../visible-output.ts";

export const ingestCommand: Command = {
  name: "ingest",
  summary: "Read log files into the database (Postfix maillog, DSPAM logs, Dovecot logs).",
  usage:
    "spamtrail ingest [--db PATH|URL] [--year YYYY] [--kind auto|syslog|dspam-system|dspam-user|dovecot|rspamd] [--local-domain DOMAIN]... PATH...",
  help: `
PATH is a file, a directory (read recursively: /var/log, DSPAM's data dir), a .gz file, or - for
stdin. The kind of each file is detected from its content and name. Running it again, or on a
rotated copy (mail.log.1, mail.log.2.gz), adds only lines not stored yet.
Year-less syslog dates take the year from --year, else from the file's modification time.
Messages are followed through the pipeline as the lines are stored (see 'spamtrail message').`,
  options: {
    db: DB_OPTION,
    year: {
      type: "string",
      value: "YYYY",
      description: "year of the first line of files whose dates have no year",
    },
    kind: {
      type: "string",
      value: "KIND",
      description: "auto (default), syslog, dspam-system, dspam-user, dovecot",
    },
    "local-domain": LOCAL_DOMAIN_OPTION,
  },
  positionals: { min: 1, max: Number.POSITIVE_INFINITY },
  postgresql: true,
  async run(args, io) {
    const year = yearOption(args);
    const kindText = stringOption(args, "kind") ?? "auto";
    if (kindText !== "auto" && !FILE_KINDS.includes(kindText as FileKind)) {
      throw new UsageError(`--kind must be auto, ${FILE_KINDS.join(", ")}; got '${kindText}'`);
    }
    const kind = kindText === "auto" ? undefined : (kindText as FileKind);
    const target = resolveDatabaseTarget(stringOption(args, "db"), io.env);
    const bar = progressBar(rawOutput(io.stderr));
    const options = {
      year,
      kind,
      localDomains: localDomains(args),
      stdin: io.stdin,
      onProgress: (progress: IngestProgress) => bar.update(progress),
    };
    let close = async () => {};
    try {
      let summary: Awaited<ReturnType<typeof ingestLogs>>;
      if (target.kind === "postgresql") {
        const pool = postgresPool(target.url);
        close = () => pool.end();
        const shown = describeTarget(target);
        await migratePostgres(pool, undefined, shown);
        summary = await ingestLogsPostgres(pool, args.positionals, {
          ...options,
          shown,
          onWait: (message) => io.stderr.write(`${message}\n`),
        });
      } else {
        const { db } = openAppDatabase(target.file, io.env);
        close = async () => {
          db.close();
        };
        summary = await ingestLogs(db, args.positionals, options);
      }
      bar.done();
      const rows = [...summary.programs.entries()]
        .sort((a, b) => b[1].read - a[1].read)
        .map(([program, t]) => [program, t.read, t.fresh, t.known, t.unparsed]);
      const t = summary.totals;
      if (t.skipped > 0)
        rows.push(["(not read again: stored by an earlier run)", t.skipped, 0, t.skipped, 0]);
      rows.push(["total", t.read + t.skipped, t.fresh, t.known + t.skipped, t.unparsed]);
      io.stdout.write(`${table(["program", "read", "new", "already known", "unparsed"], rows)}\n`);
      const seconds = summary.elapsedMs / 1000;
      io.stdout.write(
        `\n${summary.files.length} file(s), ${bytes(summary.bytes)} in ${duration(summary.elapsedMs)}` +
          ` (${count(Math.round(t.read / Math.max(seconds, 0.001)))} lines/s)` +
          (t.problems > 0 ? `; ${count(t.problems)} line(s) had bytes repaired (see Sources)` : "") +
          "\n",
      );
      const c = summary.correlation;
      io.stdout.write(
        `${count(c.journeys)} message journey update(s), ${count(c.trainings)} retraining update(s)` +
          (c.orphanVerdicts > 0
            ? `, ${count(c.orphanVerdicts)} DSPAM verdict(s) without their mail log`
            : "") +
          "\n",
      );
      for (const file of summary.files.filter((f) => f.restarted)) {
        io.stdout.write(
          `note: ${file.path} no longer matches what was ingested before; read again from the start\n`,
        );
      }
      for (const skip of summary.skipped) io.stdout.write(`skipped ${skip.path}: ${skip.reason}\n`);
      for (const file of summary.damaged)
        io.stdout.write(`damaged ${file.path}: ${file.reason}; the lines before it were read\n`);
      return 0;
    } finally {
      bar.done();
      await close();
    }
  },
};
