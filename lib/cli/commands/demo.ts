import path from "node:path";
import { projectRoot } from "../../core/paths.ts";
import { openAppDatabase } from "../../db/open-app-database.ts";
import { ingest } from "../../ingest/ingest.ts";
import { type Command, flag } from "../command.ts";
import { count } from "../format.ts";
import { listenOptions, SERVE_OPTIONS, serveDashboard } from "./serve.ts";

/** The bundled real sample (Postfix + DSPAM + Dovecot with the origin story's pitfalls), recorded in November 2026. */
export const DEMO_LOGS = path.join(projectRoot(), "prisma", "demo", "lab-double-expansion", "logs");
const DEMO_YEAR = 2026;

export const demoCommand: Command = {
  name: "demo",
  summary: "Ingest the bundled sample logs into data/demo.db and serve the dashboard on it.",
  usage: "spamtrail demo [--host ADDR] [--port PORT] [--build]",
  help: `
The sample is real: logs of a Postfix + DSPAM + Dovecot server configured with the pitfalls
Spamtrail detects (prisma/demo/lab-double-expansion/README.md). Your own data is not touched.`,
  options: { ...SERVE_OPTIONS },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    const listen = listenOptions(args);
    const { db, path: dbPath } = openAppDatabase(path.join(projectRoot(), "data", "demo.db"));
    try {
      const summary = await ingest(db, [DEMO_LOGS], { year: DEMO_YEAR });
      io.stdout.write(
        `Sample ingested into ${dbPath}: ${count(summary.totals.fresh)} new line(s), ${count(summary.totals.known + summary.totals.skipped)} already there.\n`,
      );
    } finally {
      db.close();
    }
    return serveDashboard(io, { ...listen, dbPath, forceBuild: flag(args, "build") });
  },
};
