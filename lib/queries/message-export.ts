import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import type { MessageFilters } from "./message-filters.ts";
import type { MessageSort } from "./message-params.ts";
import { type MessageRow, searchMessages } from "./messages.ts";

/** An export holds at most this many messages. */
export const EXPORT_MAX = 10_000;
const BATCH = 500;

/** A result row as the export writes it: one flat object per message (README: Messages export). */
export function exportRow(row: MessageRow) {
  const final = row.recipients;
  return {
    time: row.firstTs.toISOString(),
    messageId: row.messageId,
    queueId: row.queueId,
    origin: row.origin,
    sender: row.sender,
    saslUsername: row.saslUsername,
    client: row.client,
    subject: row.subject,
    recipients: final.map((r) => r.address),
    writtenTo: row.writtenTo,
    statuses: final.map((r) => r.status),
    folders: final.map((r) => r.folder ?? ""),
    verdict: row.verdict,
    dspamUsers: row.dspamUsers,
    delivered: row.delivered,
    complete: row.complete,
    inProgress: row.inProgress,
    findings: [...new Set(row.findings.map((f) => f.kind))],
  };
}

type ExportRow = ReturnType<typeof exportRow>;
const COLUMNS: (keyof ExportRow)[] = [
  "time",
  "messageId",
  "queueId",
  "origin",
  "sender",
  "saslUsername",
  "client",
  "subject",
  "recipients",
  "writtenTo",
  "statuses",
  "folders",
  "verdict",
  "dspamUsers",
  "delivered",
  "complete",
  "inProgress",
  "findings",
];

/**
 * One CSV cell (RFC 4180): quoted when needed; a value a spreadsheet would run as a formula
 * (`=`, `+`, `-`, `@`, tab, CR first) gets a leading apostrophe: log values are written by strangers.
 */
export function csvCell(value: unknown): string {
  let text = Array.isArray(value)
    ? value.join(" ")
    : value === null || value === undefined
      ? ""
      : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The search's matches, in its order, as a stream of CSV (with a header) or a JSON array; at most EXPORT_MAX. */
export function exportMessages(
  filters: MessageFilters,
  sort: MessageSort,
  format: "csv" | "json",
  prisma: PrismaClient = getPrisma(),
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let page = 1;
  let written = 0;
  return new ReadableStream({
    start(controller) {
      controller.enqueue(encoder.encode(format === "csv" ? `${COLUMNS.join(",")}\r\n` : "["));
    },
    async pull(controller) {
      const result = await searchMessages(filters, { sort, size: BATCH, page, count: false }, prisma);
      const rows = result.rows.slice(0, EXPORT_MAX - written).map(exportRow);
      const text =
        format === "csv"
          ? rows.map((r) => `${COLUMNS.map((c) => csvCell(r[c])).join(",")}\r\n`).join("")
          : rows.map((r, i) => `${written + i > 0 ? "," : ""}\n${JSON.stringify(r)}`).join("");
      written += rows.length;
      page += 1;
      if (text) controller.enqueue(encoder.encode(text));
      if (rows.length < BATCH || written >= EXPORT_MAX) {
        if (format === "json") controller.enqueue(encoder.encode("\n]\n"));
        controller.close();
      }
    },
  });
}
