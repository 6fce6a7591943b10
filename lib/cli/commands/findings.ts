import { formatStamp } from "../../core/display-zone.ts";
import { resolveDatabaseTarget } from "../../db/database-url.ts";
import { openReadClient } from "../../db/read-client.ts";
import { kindTitle } from "../../detect/kinds.ts";
import { FINDING_KINDS, type FindingKind } from "../../detect/types.ts";
import { type FindingView, getFindings } from "../../queries/findings.ts";
import { hasMail, noMailLogged } from "../../queries/range-activity.ts";
import {
  type Command,
  DB_OPTION,
  dateOption,
  flag,
  HOST_OPTION,
  hostOption,
  outputWidth,
  stringOption,
  stringsOption,
  UsageError,
  wrapLines,
} from "../command.ts";
import { spamtrailCommand } from "../shell-quote.ts";

/** The `spamtrail findings --json` contract (README). */
export function findingToJson(f: FindingView) {
  return {
    id: f.id,
    kind: f.kind,
    title: f.title,
    about: f.about,
    severity: f.severity,
    key: f.key,
    summary: f.summary,
    cause: f.cause,
    fix: f.fix,
    status: f.status,
    messages: f.messages,
    messageIds: f.messageIds,
    users: f.users,
    recipients: f.recipients,
    count: f.count,
    firstSeen: f.firstSeen.toISOString(),
    lastSeen: f.lastSeen.toISOString(),
    related: f.related.map((r) => ({ id: r.id, title: r.title })),
    evidence: f.evidence.map((e) => ({
      ref: e.ref,
      ts: e.ts.toISOString(),
      severity: e.severity,
      messageId: e.messageId,
      users: e.users,
      recipients: e.recipients,
      detail: e.detail,
      lineIds: e.lineIds,
    })),
  };
}

function renderText(findings: FindingView[], width: number): string {
  if (findings.length === 0)
    return "No problems found: every message followed its expected path through the filter.\n";
  const bySeverity = { high: 0, medium: 0, low: 0 };
  for (const f of findings) bySeverity[f.severity] += 1;
  const out = [
    `${plural(findings.length, "finding")}: ${bySeverity.high} high, ${bySeverity.medium} medium, ${bySeverity.low} low.`,
    "",
  ];
  const kinds = [...new Set(findings.map((f) => f.kind))];
  for (const kind of kinds) {
    const group = findings.filter((f) => f.kind === kind);
    const worst = group[0]?.severity ?? "low";
    out.push(`${worst.toUpperCase().padEnd(6)} ${kindTitle(kind)} [${kind}]`);
    for (const f of group) {
      const span =
        f.firstSeen.getTime() === f.lastSeen.getTime()
          ? formatStamp(f.firstSeen)
          : `${formatStamp(f.firstSeen)} – ${formatStamp(f.lastSeen)}`;
      out.push(
        ...wrapLines(
          `${f.about}${f.status === "open" ? "" : ` [${f.status}]`} (#${f.id})`,
          "    ",
          width,
          "  • ",
        ),
      );
      out.push(...wrapLines(f.summary, "    ", width));
      out.push(...wrapLines(`${span}; ${plural(f.messages, "message")}`, "      ", width, "    "));
      // The suggested command stays on one line, whatever its length: it is meant to be pasted.
      if (f.messageIds[0]) out.push(`    e.g. ${spamtrailCommand("message", f.messageIds[0])}`);
      if (f.related.length > 0)
        out.push(
          ...wrapLines(
            `Related: ${f.related.map((r) => `${r.title} (#${r.id})`).join("; ")}`,
            "             ",
            width,
            "    ",
          ),
        );
      out.push(...wrapLines(f.cause, "         ", width, "    Why: "));
      out.push(...wrapLines(f.fix, "         ", width, "    Fix: "));
    }
    out.push("");
  }
  return out.join("\n");
}

const plural = (n: number, one: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : `${one}s`}`;

export const findingsCommand: Command = {
  name: "findings",
  summary: "List what is wrong with the antispam pipeline, with evidence, cause and fix.",
  usage:
    "spamtrail findings [--db PATH|URL] [--json] [--since DATE] [--until DATE] [--host HOST] [--kind KIND]...",
  help: `
Kinds: ${FINDING_KINDS.join(", ")}.
--since/--until take 2026-11-22 (until: end of that day) or 2026-11-22T07:00; a finding counts its
evidence in that range.`,
  options: {
    db: DB_OPTION,
    json: { type: "boolean", description: "print a JSON array (fields in the README)" },
    since: { type: "string", value: "DATE", description: "only evidence from this date/time on" },
    until: {
      type: "string",
      value: "DATE",
      description: "only evidence up to this date (inclusive) / before this time",
    },
    host: HOST_OPTION,
    kind: {
      type: "string",
      multiple: true,
      value: "KIND",
      description: "only findings of this kind (repeatable)",
    },
  },
  positionals: { min: 0, max: 0 },
  postgresql: true,
  async run(args, io) {
    const kinds = stringsOption(args, "kind");
    const unknown = kinds.find((k) => !FINDING_KINDS.includes(k as FindingKind));
    if (unknown) throw new UsageError(`unknown --kind '${unknown}' (kinds: ${FINDING_KINDS.join(", ")})`);
    const since = dateOption(args, "since");
    const until = dateOption(args, "until");
    const host = hostOption(args);
    const { prisma, close } = await openReadClient(resolveDatabaseTarget(stringOption(args, "db"), io.env));
    try {
      const findings = await getFindings({ since, until, host, kinds: kinds as FindingKind[] }, prisma);
      if (flag(args, "json")) {
        io.stdout.write(`${JSON.stringify(findings.map(findingToJson), null, 2)}\n`);
        return 0;
      }
      const empty = findings.length === 0 && !(await hasMail({ since, until }, prisma));
      io.stdout.write(
        empty ? `${noMailLogged({ since, until })}\n` : renderText(findings, outputWidth(io.stdout)),
      );
      return 0;
    } finally {
      await close();
    }
  },
};
