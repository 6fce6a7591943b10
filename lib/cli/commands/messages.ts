import { formatDateTime, zoneAbbreviation } from "../../core/display-zone.ts";
import { table } from "../../core/format.ts";
import { resolveDatabaseTarget } from "../../db/database-url.ts";
import { openReadClient } from "../../db/read-client.ts";
import { FINDING_KINDS, type FindingKind } from "../../detect/types.ts";
import { getMessage } from "../../queries/message.ts";
import { EXPORT_MAX } from "../../queries/message-export.ts";
import {
  MESSAGE_STATES,
  type MessageFilters,
  type MessageState,
  VERDICT_FILTERS,
  type VerdictFilter,
} from "../../queries/message-filters.ts";
import { MESSAGE_SORTS, type MessageSort } from "../../queries/message-params.ts";
import { getMessageFindings } from "../../queries/message-view.ts";
import { type MessageRow, searchMessages } from "../../queries/messages.ts";
import { ORIGINS, type Origin } from "../../queries/stats.ts";
import {
  type Command,
  DB_OPTION,
  dateOption,
  flag,
  HOST_OPTION,
  hostOption,
  type Parsed,
  stringOption,
  UsageError,
} from "../command.ts";
import { messageToJson } from "../message-json.ts";

/** A choice option: one of `allowed`, else a one-line usage error. */
function choice<T extends string>(args: Parsed, name: string, allowed: readonly T[]): T | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T))
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")}, got '${value}'`);
  return value as T;
}

function limitOption(args: Parsed): number {
  const value = stringOption(args, "limit");
  if (value === undefined) return 50;
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1 || Number(value) > EXPORT_MAX)
    throw new UsageError(`--limit must be a number from 1 to ${EXPORT_MAX}, got '${value}'`);
  return Number(value);
}

const text = (args: Parsed, name: string) => stringOption(args, name)?.trim() || undefined;
const optionalList = <T>(value: T | undefined): T[] | undefined =>
  value === undefined ? undefined : [value];

function recipientsText(row: MessageRow): string {
  const shown = row.recipients.map(
    (r) =>
      `${r.address}${r.original ? ` (for ${r.original})` : ""}${r.status === "sent" ? "" : ` ${r.status}`}`,
  );
  const list = shown.length > 3 ? `${shown.slice(0, 3).join(", ")} +${shown.length - 3}` : shown.join(", ");
  return row.writtenTo.length > 0 ? `${list} (written to ${row.writtenTo.join(", ")})` : list;
}

function status(row: MessageRow): string {
  if (row.inProgress) return "in progress";
  if (!row.complete) return "queued";
  if (row.recipients.some((r) => r.status === "bounced")) return "bounced";
  if (row.delivered > 0) return "delivered";
  return row.recipients[0]?.status ?? "-";
}

export const messagesCommand: Command = {
  name: "messages",
  summary:
    "Search messages by address (as written or the mailbox), domain, queue id, Message-ID, words, status …",
  usage:
    "spamtrail messages [--db PATH|URL] [--json] [--recipient ADDR] [--sender ADDR] [--client IP|HOST] [--queue-id ID] [--message-id TEXT] [--sasl-user U] [--dspam-user U] [--verdict V] [--finding KIND] [--status S] [--origin O] [--text WORDS] [--host HOST] [--since DATE] [--until DATE] [--sort S] [--limit N]",
  help: `
The same search as the dashboard's Messages page. Addresses, domains and queue ids ignore case; a
recipient matches the address the sender wrote (an alias, orig_to) or the mailbox it reached;
ADDR may be a domain alone (@example.com or example.com). --message-id takes a whole Message-ID or
a part of it, --text words of the subject (where logged). Filters combine with AND.
--status: ${MESSAGE_STATES.join(", ")}. --verdict: ${VERDICT_FILTERS.join(", ")} (none: not filtered).
--origin: ${ORIGINS.join(", ")}. --finding: a finding kind (spamtrail findings --help).
--since/--until take 2026-11-22 (until: the end of that day) or 2026-11-22T07:00, in the display
zone (SPAMTRAIL_TZ). --json prints an array of the objects 'spamtrail message --json' prints,
without "lines".`,
  options: {
    db: DB_OPTION,
    json: {
      type: "boolean",
      description: "print a JSON array of messages (spamtrail message --json, without lines)",
    },
    recipient: {
      type: "string",
      value: "ADDR",
      description: "a recipient: as written, the mailbox, or a domain",
    },
    sender: { type: "string", value: "ADDR", description: "the sender's address or domain" },
    client: { type: "string", value: "IP|HOST", description: "the sending client's address or host name" },
    "queue-id": { type: "string", value: "ID", description: "any of the message's Postfix queue ids" },
    "message-id": { type: "string", value: "TEXT", description: "the Message-ID or part of it" },
    "sasl-user": { type: "string", value: "U", description: "the SASL login that sent it" },
    "dspam-user": { type: "string", value: "U", description: "a DSPAM user that judged a copy" },
    verdict: { type: "string", value: "V", description: `DSPAM's verdict: ${VERDICT_FILTERS.join(", ")}` },
    finding: {
      type: "string",
      value: "KIND",
      description: "messages that are evidence of this finding kind",
    },
    status: { type: "string", value: "S", description: `what happened: ${MESSAGE_STATES.join(", ")}` },
    origin: { type: "string", value: "O", description: `where it came from: ${ORIGINS.join(", ")}` },
    text: { type: "string", value: "WORDS", description: "words of the subject or the Message-ID" },
    host: HOST_OPTION,
    since: { type: "string", value: "DATE", description: "received from this date/time on" },
    until: {
      type: "string",
      value: "DATE",
      description: "received up to this date (inclusive) / before this time",
    },
    sort: { type: "string", value: "S", description: `order: ${MESSAGE_SORTS.join(", ")} (default newest)` },
    limit: {
      type: "string",
      value: "N",
      description: `at most N messages (default 50, up to ${EXPORT_MAX})`,
    },
  },
  positionals: { min: 0, max: 0 },
  postgresql: true,
  async run(args, io) {
    const filters: MessageFilters = {
      recipient: text(args, "recipient"),
      sender: text(args, "sender"),
      client: text(args, "client"),
      queueId: text(args, "queue-id"),
      messageId: text(args, "message-id"),
      sasl: text(args, "sasl-user"),
      dspamUser: text(args, "dspam-user"),
      verdict: choice<VerdictFilter>(args, "verdict", VERDICT_FILTERS),
      findings: optionalList(choice<FindingKind>(args, "finding", FINDING_KINDS)),
      state: choice<MessageState>(args, "status", MESSAGE_STATES),
      origin: choice<Origin>(args, "origin", ORIGINS),
      text: text(args, "text"),
      host: hostOption(args),
      since: dateOption(args, "since"),
      until: dateOption(args, "until"),
    };
    const sort = choice<MessageSort>(args, "sort", MESSAGE_SORTS) ?? "newest";
    const limit = limitOption(args);
    const { prisma, close } = await openReadClient(resolveDatabaseTarget(stringOption(args, "db"), io.env));
    try {
      const page = await searchMessages(filters, { sort, size: limit }, prisma);
      if (flag(args, "json")) {
        const out: unknown[] = [];
        const seen = new Set<string>();
        for (const row of page.rows) {
          // One object per message: a Message-ID received twice is one message with two journeys.
          const id = row.messageId ?? row.queueId;
          if (seen.has(id)) continue;
          seen.add(id);
          const message = await getMessage(id, prisma);
          if (!message) continue;
          const { lines: _lines, ...json } = messageToJson(
            message,
            await getMessageFindings(message, prisma),
          );
          out.push(json);
        }
        io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return 0;
      }
      if (page.rows.length === 0) {
        io.stdout.write("No message matches.\n");
        return 0;
      }
      const rows = page.rows.map((row) => [
        formatDateTime(row.firstTs),
        row.queueId,
        row.sender === "" ? "<>" : (row.sender ?? "-"),
        recipientsText(row),
        row.origin,
        row.verdict ?? "-",
        status(row),
        [...new Set(row.findings.map((f) => f.kind))].join(",") || "-",
      ]);
      const zone = zoneAbbreviation(page.rows[0]?.firstTs);
      io.stdout.write(
        `${table([`time (${zone})`, "queue id", "sender", "recipients", "origin", "verdict", "status", "findings"], rows)}\n`,
      );
      const total = String(page.matched);
      io.stdout.write(
        `\n${page.rows.length} of ${total} message(s)${page.rows.length < page.matched ? " (--limit to see more)" : ""}.\n`,
      );
      return 0;
    } finally {
      await close();
    }
  },
};
