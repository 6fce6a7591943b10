import { randomBytes } from "node:crypto";
import path from "node:path";
import { Writable } from "node:stream";
import { DEFAULT_ADMIN, setAdminPassword } from "../../auth/admin-users.ts";
import { count } from "../../core/format.ts";
import { projectRoot } from "../../core/paths.ts";
import { openAppDatabase } from "../../db/open-app-database.ts";
import { prismaFor } from "../../db/prisma.ts";
import { ingestLogs } from "../../ingest/ingest-logs.ts";
import { type Command, flag, type Io } from "../command.ts";
import { listenOptions, SERVE_OPTIONS, serveDashboard } from "./serve.ts";

/** The bundled real sample (Postfix + DSPAM + Dovecot with the origin story's pitfalls), recorded in November 2026. */
export const DEMO_LOGS = path.join(projectRoot(), "prisma", "demo", "lab-double-expansion", "logs");
const DEMO_YEAR = 2026;

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
  usage: "spamtrail demo [--host ADDR] [--port PORT] [--build]",
  help: `
The sample is real: logs of a Postfix + DSPAM + Dovecot server configured with the pitfalls
Spamtrail detects (prisma/demo/lab-double-expansion/README.md). Your own data is not touched.
Each run sets a new random password for the user admin of the demo database and prints it.`,
  options: { ...SERVE_OPTIONS },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    const listen = listenOptions(args, io.env);
    const { db, path: dbPath } = openAppDatabase(path.join(projectRoot(), "data", "demo.db"));
    try {
      const summary = await ingestLogs(db, [DEMO_LOGS], { year: DEMO_YEAR });
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
