import type { PrismaClient } from "../../../generated/prisma/client.ts";
import { table } from "../../core/format.ts";
import { resolveDatabaseTarget } from "../../db/database-url.ts";
import { openReadClient } from "../../db/read-client.ts";
import { filterLabel } from "../../filters/registry.ts";
import { hasMail, noMailLogged } from "../../queries/range-activity.ts";
import { getUserHealth } from "../../queries/users.ts";
import {
  type Command,
  DB_OPTION,
  dateOption,
  flag,
  HOST_OPTION,
  hostOption,
  type Io,
  stringOption,
} from "../command.ts";

export const usersCommand: Command = {
  name: "users",
  summary:
    "Training health per mailbox and per filter's statistics user (DSPAM user, Rspamd Bayes user): verdicts, retrains, how many took effect.",
  usage: "spamtrail users [--db PATH|URL] [--json] [--since DATE] [--until DATE] [--host HOST]",
  options: {
    db: DB_OPTION,
    json: { type: "boolean", description: "one JSON object per user, in an array" },
    since: { type: "string", value: "DATE", description: "only activity from this date/time on" },
    until: {
      type: "string",
      value: "DATE",
      description: "only activity up to this date (inclusive) / before this time",
    },
    host: HOST_OPTION,
  },
  positionals: { min: 0, max: 0 },
  postgresql: true,
  async run(args, io) {
    const since = dateOption(args, "since");
    const until = dateOption(args, "until");
    const host = hostOption(args);
    const { prisma, close } = await openReadClient(resolveDatabaseTarget(stringOption(args, "db"), io.env));
    try {
      return await printUsers(io, prisma, { since, until, host }, flag(args, "json"));
    } finally {
      await close();
    }
  },
};

async function printUsers(
  io: Io,
  prisma: PrismaClient,
  { since, until, host }: { since?: Date; until?: Date; host?: string },
  asJson: boolean,
): Promise<number> {
  const users = await getUserHealth({ since, until, host }, prisma);
  if (asJson) {
    const json = users.map((u) => ({
      user: u.user,
      filter: u.filter,
      isMailbox: u.isMailbox,
      classified: u.classified,
      spam: u.spam,
      innocent: u.innocent,
      retrains: u.retrains,
      retrainsApplied: u.retrainsApplied,
      retrainsFailed: u.retrainsFailed,
      retrainsMisdirected: u.retrainsMisdirected,
      successRate: u.successRate,
    }));
    io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  if (users.length === 0 && !(await hasMail({ since, until }, prisma))) {
    io.stdout.write(`${noMailLogged({ since, until })}\n`);
    return 0;
  }
  // A server moving from one filter to another: a row per filter that judged the user, named.
  const mixed = new Set(users.map((u) => u.filter).filter((f) => f !== null)).size > 1;
  const rows = users.map((u) => [
    u.user,
    ...(mixed ? [u.filter === null ? "-" : filterLabel(u.filter)] : []),
    u.isMailbox ? "mailbox" : `${filterLabel(u.filter ?? "")} only`,
    u.classified,
    u.spam,
    u.innocent,
    u.retrains,
    u.retrainsApplied,
    u.retrainsFailed,
    u.retrainsMisdirected,
    u.successRate === null ? "-" : `${Math.round(u.successRate * 100)}%`,
  ]);
  io.stdout.write(
    `${table(["user", ...(mixed ? ["filter"] : []), "is", "classified", "spam", "innocent", "retrains", "applied", "failed", "misdirected", "success"], rows)}\n`,
  );
  return 0;
}
