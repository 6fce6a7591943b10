import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { PeriodicTask } from "../ingest/follow/periodic.ts";
import { getFindingSummaries } from "../queries/config-audit.ts";
import { type SavedSnapshot, type SnapshotInput, saveConfigSnapshot } from "../store/config-snapshots.ts";
import { joinEvidence } from "./evidence.ts";
import { type ConfigRead, commandRunner, readConfigPaths, readServerConfig } from "./read-config.ts";
import { type Audit, runAudit } from "./run-audit.ts";
import { effectiveSettings } from "./settings.ts";
import { type AuditResult, result } from "./types.ts";

export type ConfigAudit = { read: ConfigRead; audit: Audit; results: AuditResult[] };

/** Reads the PATHs (or, with none, the running server's configuration) and audits them. */
export async function readAndAudit(paths: string[], env: NodeJS.ProcessEnv): Promise<ConfigAudit> {
  const read = paths.length > 0 ? readConfigPaths(paths) : await readServerConfig(commandRunner(env));
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
  return { read, audit, results: [...audit.results, ...unreadable] };
}

/** Joins the logs' evidence and stores the configuration as a snapshot when its settings changed. */
export async function recordAudit(
  checked: ConfigAudit,
  store: {
    prisma: PrismaClient;
    /** Stores the snapshot: saveConfigSnapshot on SQLite, saveConfigSnapshotPostgres on PostgreSQL. */
    save: (input: SnapshotInput) => SavedSnapshot | Promise<SavedSnapshot>;
    paths: string[];
    now: number;
  },
): Promise<{ results: AuditResult[]; snapshot: { id: number; changed: boolean } | null }> {
  const results = joinEvidence(
    { ...checked.audit, results: checked.results },
    await getFindingSummaries(store.prisma),
  );
  if (checked.read.files.length === 0) return { results, snapshot: null };
  const source =
    store.paths.length > 0 ? store.paths.join(", ") : checked.read.files.map((f) => f.path).join(", ");
  const snapshot = await store.save({
    settings: effectiveSettings(checked.audit.model),
    results,
    source,
    now: store.now,
  });
  return { results, snapshot };
}

const EVERY_MS = 5 * 60_000;

/** `spamtrail follow` audits the configuration every five minutes and keeps a snapshot when it changes. */
export function configAuditTask(options: {
  paths: string[];
  env: NodeJS.ProcessEnv;
  prisma: PrismaClient;
}): PeriodicTask {
  let lastSaid = "";
  return {
    name: "configuration audit",
    everyMs: EVERY_MS,
    firstAfterMs: 0,
    async run(context) {
      // Its snapshots are SQLite's (lib/store/config-snapshots.ts); follow on PostgreSQL does not add this task.
      if (!context.db) return;
      const db = context.db;
      const checked = await readAndAudit(options.paths, options.env);
      let message: string;
      if (checked.read.files.length === 0)
        message = `Configuration audit: no configuration found (${checked.read.notes.join("; ")})`;
      else {
        const { results, snapshot } = await recordAudit(checked, {
          prisma: options.prisma,
          save: (input) => context.exclusive(() => saveConfigSnapshot(db, input)),
          paths: options.paths,
          now: context.now(),
        });
        message = `Configuration audit: ${results.length} problem(s)${snapshot?.changed ? `; configuration changed, stored as snapshot #${snapshot.id}` : ""}`;
      }
      // Said once per state, not every five minutes.
      if (message !== lastSaid || message.includes("changed")) context.log(message);
      lastSaid = message;
    },
  };
}
