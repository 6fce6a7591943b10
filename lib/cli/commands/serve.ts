import { ProxyTrustError, parseProxyTrust } from "../../auth/client-address.ts";
import { type DatabaseTarget, describeTarget, resolveDatabaseTarget } from "../../db/database-url.ts";
import { migrateTarget } from "../../db/open-app-database.ts";
import { type Command, DB_OPTION, flag, stringOption, UsageError } from "../command.ts";
import { buildDashboard, buildIsStale, runDashboard } from "../web-server.ts";

// A bad SPAMTRAIL_TRUST_PROXY is bad usage, said before the server starts.
function checkProxyTrust(env: NodeJS.ProcessEnv): void {
  try {
    parseProxyTrust(env.SPAMTRAIL_TRUST_PROXY);
  } catch (error) {
    if (error instanceof ProxyTrustError) throw new UsageError(error.message);
    throw error;
  }
}

export const SERVE_OPTIONS = {
  host: {
    type: "string",
    value: "ADDR",
    description: "address to listen on (default 127.0.0.1: this machine only)",
  },
  port: { type: "string", value: "PORT", description: "port to listen on (default 3000)" },
  build: { type: "boolean", description: "rebuild the dashboard even if the build looks current" },
} as const;

/** Validated --host/--port, and SPAMTRAIL_TRUST_PROXY checked before anything starts. */
export function listenOptions(
  args: Parameters<Command["run"]>[0],
  env: NodeJS.ProcessEnv,
): { host: string; port: number } {
  checkProxyTrust(env);
  const host = stringOption(args, "host") ?? "127.0.0.1";
  const portText = stringOption(args, "port") ?? "3000";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535)
    throw new UsageError(`--port must be 1-65535, got '${portText}'`);
  return { host, port };
}

/** Builds the dashboard when needed and serves it; shared by `serve` and `demo`. */
export async function serveDashboard(
  io: Parameters<Command["run"]>[1],
  options: { host: string; port: number; database: DatabaseTarget; forceBuild: boolean },
): Promise<number> {
  if (options.forceBuild || buildIsStale()) {
    io.stdout.write("Building the dashboard (next build)…\n");
    if (!buildDashboard()) {
      io.stderr.write("spamtrail: next build failed (see above)\n");
      return 1;
    }
  }
  io.stdout.write(
    `\nSpamtrail dashboard: http://${options.host.includes(":") ? `[${options.host}]` : options.host}:${options.port}/\n`,
  );
  io.stdout.write(`Database: ${describeTarget(options.database)}\nStop with Ctrl-C.\n\n`);
  const { database } = options;
  return runDashboard({
    ...options,
    databaseUrl: database.kind === "sqlite" ? `file:${database.file}` : database.url,
  });
}

export const serveCommand: Command = {
  name: "serve",
  summary: "Serve the dashboard (builds it first when the checkout changed).",
  usage: "spamtrail serve [--db PATH|URL] [--host ADDR] [--port PORT] [--build]",
  options: { db: DB_OPTION, ...SERVE_OPTIONS },
  positionals: { min: 0, max: 0 },
  postgresql: true,
  async run(args, io) {
    const listen = listenOptions(args, io.env);
    const database = resolveDatabaseTarget(stringOption(args, "db"), io.env);
    await migrateTarget(database);
    return serveDashboard(io, { ...listen, database, forceBuild: flag(args, "build") });
  },
};
