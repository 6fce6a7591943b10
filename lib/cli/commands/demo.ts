import { randomBytes } from "node:crypto";
import path from "node:path";
import { Writable } from "node:stream";
import { DEFAULT_ADMIN, setAdminPassword } from "../../auth/admin-users.ts";
import { count } from "../../core/format.ts";
import { projectRoot } from "../../core/paths.ts";
import { openAppDatabase } from "../../db/open-app-database.ts";
import { prismaFor } from "../../db/prisma.ts";
import { ingestLogs } from "../../ingest/ingest-logs.ts";
import { type Command, flag, type Io, stringOption, UsageError } from "../command.ts";
import { listenOptions, SERVE_OPTIONS, serveDashboard } from "./serve.ts";

/** The bundled real samples, each the logs of a real server with the origin story's pitfalls (2026). */
const DEMO_SAMPLES = {
  dspam: { lab: "lab-double-expansion", file: "demo.db", timeZone: undefined },
  // Rspamd's own log has no zone; the lab's clock was UTC (its README), as its syslog's +00:00 says.
  rspamd: { lab: "lab-rspamd", file: "demo-rspamd.db", timeZone: "UTC" },
} as const;
type DemoSample = keyof typeof DEMO_SAMPLES;
const SAMPLE_NAMES = Object.keys(DEMO_SAMPLES) as DemoSample[];
const labDir = (sample: DemoSample) => path.join(projectRoot(), "prisma", "demo", DEMO_SAMPLES[sample].lab);
export const DEMO_LOGS = path.join(labDir("dspam"), "logs");
const DEMO_YEAR = 2026;

function sampleOf(args: Parameters<Command["run"]>[0]): DemoSample {
  const value = stringOption(args, "sample") ?? "dspam";
  if (!SAMPLE_NAMES.includes(value as DemoSample))
    throw new UsageError(`--sample must be one of ${SAMPLE_NAMES.join(", ")}, got '${value}'`);
  return value as DemoSample;
}

/** The same io, with `line` repeated right after the dashboard's URL (the build output above may be long). */
function withLineAfterUrl(io: Io, line: string): Io {
  const stdout = new Writable({
    write(chunk, _encoding, done) {
      const text = String(chunk);
      io.stdout.write(text);
      if (text.includes("Spamtrail dashboard: ")) io.stdout.write(line);
      done();
    },
  });
  return { ...io, stdout };
}

export const demoCommand: Command = {
  name: "demo",
  summary: "Ingest the bundled sample logs into data/demo.db and serve the dashboard on it.",
  usage: "spamtrail demo [--sample dspam|rspamd] [--host ADDR] [--port PORT] [--build]",
  help: `
The samples are real: logs of a Postfix + DSPAM + Dovecot server (--sample dspam, the default:
prisma/demo/lab-double-expansion/README.md, into data/demo.db) and of a Postfix + Rspamd milter +
Dovecot IMAPSieve server (--sample rspamd: prisma/demo/lab-rspamd/README.md, into
data/demo-rspamd.db, shown in UTC, the clock of its zone-less Rspamd log), both configured with
the pitfalls Spamtrail detects. Your own data is not touched.
Each run sets a new random password for the user admin of the demo database and prints it.`,
  options: {
    sample: { type: "string", value: "NAME", description: "which bundled sample: dspam (default) or rspamd" },
    ...SERVE_OPTIONS,
  },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    const sample = sampleOf(args);
    const listen = listenOptions(args, io.env);
    const { timeZone, file } = DEMO_SAMPLES[sample];
    if (timeZone) process.env.TZ = timeZone;
    const { db, path: dbPath } = openAppDatabase(path.join(projectRoot(), "data", file));
    try {
      const summary = await ingestLogs(db, [path.join(labDir(sample), "logs")], { year: DEMO_YEAR });
      io.stdout.write(
        `Sample ingested into ${dbPath}: ${count(summary.totals.fresh)} new line(s), ${count(summary.totals.known + summary.totals.skipped)} already there.\n`,
      );
    } finally {
      db.close();
    }
    const password = randomBytes(12).toString("base64url");
    await setAdminPassword(prismaFor(dbPath), { username: DEFAULT_ADMIN, password });
    const signIn = `Sign in as ${DEFAULT_ADMIN} with the password ${password}\n`;
    io.stdout.write(signIn);
    return serveDashboard(withLineAfterUrl(io, signIn), {
      ...listen,
      database: { kind: "sqlite", file: dbPath },
      forceBuild: flag(args, "build"),
    });
  },
};
