import { formatStamp } from "../../core/display-zone.ts";
import { resolveDatabaseTarget } from "../../db/database-url.ts";
import { openReadClient } from "../../db/read-client.ts";
import { filterLabel, filterUserWord } from "../../filters/registry.ts";
import { getMessage } from "../../queries/message.ts";
import { getMessageFindings } from "../../queries/message-view.ts";
import { PROGRESS_TEXT } from "../../queries/progress.ts";
import { type Command, DB_OPTION, flag, outputWidth, stringOption, wrapLines } from "../command.ts";
import { type MessageJson, messageToJson } from "../message-json.ts";

const time = (iso: string | null) => (iso ? formatStamp(new Date(iso)) : "?");

function renderText(m: MessageJson, withLines: boolean, width: number): string {
  const out: string[] = [];
  out.push(`Message-ID: <${m.messageId ?? "none"}>`);
  if (m.subject) out.push(`Subject:    ${m.subject}`);
  out.push(`Sender:     ${m.sender === "" ? "<> (bounce)" : (m.sender ?? "?")}`);
  const auth = m.saslUsername ? `, authenticated as ${m.saslUsername}` : "";
  out.push(
    `Origin:     ${m.origin}${m.client ? ` from ${m.client}` : ""}${m.service ? ` via ${m.service}` : ""}${auth}`,
  );
  if (m.journeys.length > 1) out.push(`Received ${m.journeys.length} times: ${m.journeys.join(", ")}`);
  if (m.progress) out.push(`In progress: ${m.progress} (${PROGRESS_TEXT[m.progress]}).`);
  else if (!m.complete) out.push("Still queued when the logs end.");
  if (m.findings.length > 0) {
    out.push("", "Findings:");
    for (const f of m.findings) {
      const status = f.status === "open" ? "" : `, ${f.status}`;
      out.push(
        ...wrapLines(
          `${f.kind} (#${f.id}${status}): ${f.summary}`,
          "         ",
          width,
          `  ${f.severity.toUpperCase().padEnd(6)} `,
        ),
      );
    }
  }
  out.push("", "Postfix queues:");
  for (const id of m.queueIds) {
    const link = m.links.find((l) => l.to === id);
    out.push(
      `  ${id}${link ? `  ← ${link.from} (${link.rule}, ${link.confidence}${link.recipient ? `, for ${link.recipient}` : ""})` : "  (received)"}`,
    );
  }
  if (m.filterHandoffs.length > 0) {
    out.push("", "Handed to the content filter:");
    for (const h of m.filterHandoffs)
      out.push(`  ${time(h.ts)}  ${h.queueId}  ${h.recipient}  ${h.filter ?? ""} ${h.status}`);
  }
  if (m.verdicts.length > 0) {
    out.push("", "Filter verdicts:");
    for (const v of m.verdicts) {
      const score = v.score === null ? "" : `  score ${v.score}`;
      const action = v.action === null ? "" : `  action ${v.action}`;
      out.push(
        `  ${time(v.ts)}  ${filterLabel(v.filter)} ${v.result.padEnd(11)} ${filterUserWord(v.filter)} ${v.user ?? "(global)"}${v.userInferred ? " (inferred)" : ""}${score}${action}  signature ${v.signature ?? "-"}  copy ${v.queueId ?? "?"}`,
      );
    }
  }
  out.push("", "Deliveries:");
  if (m.deliveries.length === 0) out.push("  none");
  for (const d of m.deliveries) {
    const where =
      d.destination === "mailbox"
        ? `mailbox ${d.mailbox ? `folder ${d.mailbox}` : "(folder not logged)"}`
        : `remote ${d.relay}`;
    const via = d.origRecipient ? ` (for ${d.origRecipient})` : "";
    const verdict = d.verdict
      ? `, ${filterLabel(d.verdictFilter ?? "dspam")} ${d.verdict}${d.classifiedAs ? ` as ${d.classifiedAs}` : ""}`
      : "";
    const copy = d.copy !== null && d.copies > 1 ? `  DUPLICATE: copy ${d.copy} of ${d.copies}` : "";
    out.push(
      `  ${time(d.ts)}  ${d.status.padEnd(8)} ${d.recipient}${via}  ${where}${verdict}  [${d.queueId}]${copy}`,
    );
  }
  if (m.trainings.length > 0) {
    out.push("", "Retraining:");
    for (const t of m.trainings) {
      const target =
        t.user === t.classifiedUser || !t.classifiedUser ? "" : ` — but ${t.classifiedUser} classified it`;
      out.push(
        `  ${time(t.ts)}  ${t.login ?? "?"} → as ${t.direction} for ${filterUserWord(t.filter)} ${t.user ?? "?"}: ${t.outcome}${target}`,
      );
      if (t.reason) out.push(`      ${t.reason}`);
    }
  }
  if (m.related.length > 0) {
    out.push("", "Related:");
    for (const r of m.related) out.push(`  ${r.relation}: <${r.messageId ?? "?"}> (${r.journey})`);
  }
  if (withLines) {
    out.push("", "Log lines:");
    for (const l of m.lines) out.push(`  ${l.source}:${l.lineNo}  ${l.raw}`);
  } else {
    out.push("", `${m.lines.length} log lines (--lines to show them).`);
  }
  return `${out.join("\n")}\n`;
}

export const messageCommand: Command = {
  name: "message",
  summary: "Show one message's whole journey: queues, DSPAM verdicts, deliveries, retraining.",
  usage: "spamtrail message [--db PATH|URL] [--json] [--lines] <message-id|queue-id>",
  help: `
Finds the message by its Message-ID (with or without <>) or by any of its Postfix queue ids.
--json prints the journey as JSON (fields documented in the README).`,
  options: {
    db: DB_OPTION,
    json: { type: "boolean", description: "print JSON" },
    lines: { type: "boolean", description: "also print the raw log lines (always in --json)" },
  },
  positionals: { min: 1, max: 1 },
  postgresql: true,
  async run(args, io) {
    const { prisma, close } = await openReadClient(resolveDatabaseTarget(stringOption(args, "db"), io.env));
    try {
      const id = args.positionals[0] as string;
      const message = await getMessage(id, prisma);
      if (!message) {
        io.stderr.write(`spamtrail message: no message with Message-ID or queue id '${id}'\n`);
        return 1;
      }
      const json = messageToJson(message, await getMessageFindings(message, prisma));
      io.stdout.write(
        flag(args, "json")
          ? `${JSON.stringify(json, null, 2)}\n`
          : renderText(json, flag(args, "lines"), outputWidth(io.stdout)),
      );
      return 0;
    } finally {
      await close();
    }
  },
};
