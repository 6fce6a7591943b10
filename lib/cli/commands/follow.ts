import { hostname } from "node:os";
import { configAuditTask } from "../../audit/audit-configuration.ts";
import { count, duration } from "../../core/format.ts";
import { type DatabaseTarget, describeTarget, resolveDatabaseTarget } from "../../db/database-url.ts";
import { migratePostgres } from "../../db/migrate-postgres.ts";
import { openAppDatabase } from "../../db/open-app-database.ts";
import { postgresPool } from "../../db/postgres.ts";
import { prismaFor } from "../../db/prisma.ts";
import { type FollowHandle, follow } from "../../ingest/follow/follow.ts";
import type { PeriodicTask } from "../../ingest/follow/periodic.ts";
import { ConfigError, type ReportConfig, readReportConfig } from "../../report/config.ts";
import { weeklyReportTask } from "../../report/follow-task.ts";
import { PostgresFollowStore } from "../../store/postgres/follow-store.ts";
import { DEFAULT_RETENTION_DAYS } from "../../store/retention.ts";
import {
  type Command,
  DB_OPTION,
  LOCAL_DOMAIN_OPTION,
  localDomains,
  type Parsed,
  stringOption,
  stringsOption,
  UsageError,
  yearOption,
} from "../command.ts";
import { stopOnSignals } from "../stop-on-signals.ts";

export const RETENTION_OPTION = {
  type: "string",
  value: "N",
  description: `days of data kept (default ${DEFAULT_RETENTION_DAYS}; 0 keeps everything)`,
} as const;

/** Parses --retention-days: 0 (keep everything) or at least 7 (mail may stay queued for 5 days). */
export function retentionOption(args: Parsed): number {
  const text = stringOption(args, "retention-days");
  if (text === undefined) return DEFAULT_RETENTION_DAYS;
  const days = Number(text);
  if (!/^\d+$/.test(text) || (days !== 0 && days < 7))
    throw new UsageError(`--retention-days must be 0 (keep everything) or at least 7, got '${text}'`);
  return days;
}

/** The weekly report, when it has recipients (SPAMTRAIL_REPORT_TO); a bad setting stops follow at once. */
function reportTasks(env: NodeJS.ProcessEnv, dbFile: string): { tasks: PeriodicTask[]; said: string } {
  let config: ReportConfig;
  try {
    config = readReportConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  if (config.to.length === 0)
    return { tasks: [], said: "Weekly report: off (set SPAMTRAIL_REPORT_TO to have it mailed)" };
  return {
    tasks: [weeklyReportTask(prismaFor(dbFile), config)],
    said: `Weekly report: to ${config.to.join(", ")} on '${config.schedule}'`,
  };
}

export const followCommand: Command = {
  name: "follow",
  summary: "Follow the logs as they grow (through rotation and restarts) and keep everything up to date.",
  usage:
    "spamtrail follow [--db PATH|URL] [--host NAME] [--year YYYY] [--local-domain DOMAIN]... [--retention-days N] [--config PATH]... PATH...",
  help: `
PATH is a log file (/var/log/mail.log, /var/log/syslog, Dovecot's own log) or a directory whose
log files are followed, including files created later (DSPAM's data dir: system.log and every
user's <user>.log). Each file is first read from where the last run stopped (or from its start),
then followed: through logrotate (rename, copytruncate, compression of the rotated file) and
restarts, with no line lost or stored twice. Stop with SIGTERM or Ctrl-C: what was read is
committed first. Data older than the retention window is pruned every hour.

With SPAMTRAIL_REPORT_TO set, the weekly report is mailed when it falls due
(SPAMTRAIL_REPORT_SCHEDULE, default Mondays 07:00), a week missed while stopped as soon as follow
runs again; the SMTP settings are those of \`spamtrail report\`.

Every 5 minutes the configuration is audited (--config PATH, else this server's own, as
\`spamtrail audit\` without PATH); a snapshot is stored when its effective settings change.

On PostgreSQL (--db postgresql://…) run one follower on each mail server, each reading its own
logs: --host names the server (default: this machine's name); a second follower of the same
server waits for the first to stop. One of them correlates what all store (see README, "Many
servers"). The follower that correlates also prunes, with its own --retention-days (give every
follower the same). There, follow neither audits the configuration nor mails the weekly report:
schedule \`spamtrail report --send\` on one host.`,
  options: {
    db: DB_OPTION,
    year: {
      type: "string",
      value: "YYYY",
      description: "year of the first line of files read from their start whose dates have no year",
    },
    host: {
      type: "string",
      value: "NAME",
      description:
        "PostgreSQL: the mail server whose logs this follower reads (default: this machine's name)",
    },
    "local-domain": LOCAL_DOMAIN_OPTION,
    "retention-days": RETENTION_OPTION,
    config: {
      type: "string",
      multiple: true,
      value: "PATH",
      description:
        "configuration to audit every 5 minutes (repeatable; default: this server's, via postconf/doveconf)",
    },
  },
  positionals: { min: 1, max: Number.POSITIVE_INFINITY },
  postgresql: true,
  async run(args, io) {
    const year = yearOption(args);
    const retentionDays = retentionOption(args);
    const domains = localDomains(args);
    const target = resolveDatabaseTarget(stringOption(args, "db"), io.env);
    if (target.kind === "postgresql") return followPostgres(args, io, target);
    if (stringOption(args, "host") !== undefined)
      throw new UsageError(
        "--host names a follower's mail server on PostgreSQL; a SQLite file has one follower",
      );
    const { db, path } = openAppDatabase(target.file, io.env);
    let report: ReturnType<typeof reportTasks>;
    try {
      report = reportTasks(io.env, path);
    } catch (error) {
      db.close();
      throw error;
    }
    const say = (message: string) => io.stdout.write(`${message}\n`);
    const startedAt = Date.now();
    let handle: FollowHandle | undefined;
    const stopping = stopOnSignals();
    try {
      say(`Database: ${path}`);
      say(report.said);
      handle = stopping.started(
        await follow(db, args.positionals, {
          year,
          localDomains: domains,
          retentionDays,
          tasks: [
            ...report.tasks,
            configAuditTask({ paths: stringsOption(args, "config"), env: io.env, prisma: prismaFor(path) }),
          ],
          log: say,
          signal: stopping.signal,
        }),
      );
      sayCaughtUp(say, handle, startedAt);
      await handle.done;
      say(`Stopped: ${count(handle.totals.read)} line(s) read, ${count(handle.totals.fresh)} new.`);
      return 0;
    } catch (error) {
      if (stopping.signal.aborted && !handle) {
        say("Stopped while waiting for the writer lock: nothing read.");
        return 0;
      }
      if (!handle) throw error;
      io.stderr.write(`spamtrail follow: ${(error as Error).message}\n`);
      return 1;
    } finally {
      stopping.release();
      db.close();
      await prismaFor(path).$disconnect();
    }
  },
};

/** follow on PostgreSQL: one follower per mail server (lib/store/postgres/follow-store.ts). */
async function followPostgres(
  args: Parsed,
  io: Parameters<Command["run"]>[1],
  target: Extract<DatabaseTarget, { kind: "postgresql" }>,
): Promise<number> {
  const host = stringOption(args, "host") ?? hostname();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(host))
    throw new UsageError(`--host must be a host name like mx1 or mx1.example.com, got '${host}'`);
  const say = (message: string) => io.stdout.write(`${message}\n`);
  const shown = describeTarget(target);
  const pool = postgresPool(target.url);
  const stopping = stopOnSignals();
  try {
    await migratePostgres(pool, undefined, shown);
    say(`Database: ${shown}, following as mail server ${host}`);
    if (readReportConfig(io.env).to.length > 0)
      say(
        "Weekly report: not mailed by follow on PostgreSQL (several followers); schedule `spamtrail report --send` on one host",
      );
    const startedAt = Date.now();
    const store = new PostgresFollowStore(pool, { host, shown, log: say });
    let handle: FollowHandle;
    try {
      handle = stopping.started(
        await follow(store, args.positionals, {
          year: yearOption(args),
          localDomains: localDomains(args),
          log: say,
          signal: stopping.signal,
        }),
      );
    } catch (error) {
      if (stopping.signal.aborted) {
        say("Stopped while waiting for the other follower: nothing read.");
        return 0;
      }
      throw error;
    }
    sayCaughtUp(say, handle, startedAt);
    try {
      await handle.done;
    } catch (error) {
      io.stderr.write(`spamtrail follow: ${(error as Error).message}\n`);
      return 1;
    }
    say(`Stopped: ${count(handle.totals.read)} line(s) read, ${count(handle.totals.fresh)} new.`);
    return 0;
  } finally {
    stopping.release();
    await pool.end();
  }
}

/** What follow says once it has read the backlog and follows the files as they grow. */
function sayCaughtUp(say: (message: string) => void, handle: FollowHandle, startedAt: number): void {
  const files = handle.files();
  say(`Following ${files.length} file(s):${files.map((f) => `\n  ${f}`).join("")}`);
  say(
    `Caught up in ${duration(Date.now() - startedAt)}: ${count(handle.totals.read)} line(s) read, ` +
      `${count(handle.totals.fresh)} new. Stop with Ctrl-C or SIGTERM.`,
  );
}
