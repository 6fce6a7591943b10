import { writeFileSync } from "node:fs";
import { resolveDatabaseTarget } from "../../db/database-url.ts";
import { openReadClient } from "../../db/read-client.ts";
import { ConfigError, parseAddresses, readBaseUrl, readReportConfig } from "../../report/config.ts";
import {
  lastCompleteWeek,
  localDateTime,
  parseWeek,
  type ReportPeriod,
  rangePeriod,
} from "../../report/period.ts";
import { type ReportOutcome, runReport } from "../../report/run-report.ts";
import { runRecipients } from "../../report/runs.ts";
import { smtpSender } from "../../report/send.ts";
import {
  type Command,
  DB_OPTION,
  dateOption,
  flag,
  HOST_OPTION,
  hostOption,
  type Io,
  type Parsed,
  stringOption,
  stringsOption,
  UsageError,
} from "../command.ts";

/** The period asked for: --week, --since/--until, or the last complete ISO week. */
function periodOption(args: Parsed, now: Date): ReportPeriod {
  const week = stringOption(args, "week");
  const since = dateOption(args, "since");
  const until = dateOption(args, "until");
  if (week !== undefined && (since || until))
    throw new UsageError("--week cannot be combined with --since/--until");
  if (week !== undefined) {
    const period = parseWeek(week);
    if (!period) throw new UsageError(`--week must be an ISO week like 2026-W47, got '${week}'`);
    return period;
  }
  if (since && until) {
    if (until <= since) throw new UsageError("--until must be after --since");
    return rangePeriod(since, until);
  }
  if (since || until) throw new UsageError("--since and --until go together (or use --week)");
  return lastCompleteWeek(now);
}

function describeOutcome(
  outcome: ReportOutcome,
  period: string,
  io: Io,
  status: NodeJS.WritableStream,
): number {
  switch (outcome.kind) {
    case "built":
      return 0;
    case "sent": {
      status.write(`Sent the report for ${period} to ${outcome.accepted.join(", ")}.\n`);
      if (outcome.rejected.length === 0) return 0;
      io.stderr.write(
        `spamtrail report: the SMTP server refused ${outcome.rejected.join(", ")}; they got nothing\n`,
      );
      return 1;
    }
    case "already-sent": {
      const when = outcome.run.sentAt ? ` on ${localDateTime(outcome.run.sentAt)}` : "";
      const to = runRecipients(outcome.run);
      status.write(
        `The report for ${period} was already sent${when}${to.length ? ` to ${to.join(", ")}` : ""}; nothing sent (--force sends it again).\n`,
      );
      return 0;
    }
    case "busy":
      io.stderr.write(
        `spamtrail report: another process is sending the report for ${period} right now; nothing sent\n`,
      );
      return 1;
    case "failed":
      io.stderr.write(`spamtrail report: not sent: ${outcome.error}\n`);
      return 1;
  }
}

export const reportCommand: Command = {
  name: "report",
  summary: "Build (and send) the weekly antispam health report.",
  usage:
    "spamtrail report [--db PATH|URL] [--week 2026-W47 | --since DATE --until DATE] [--host HOST] [--out FILE.html] [--text] [--send] [--to ADDR]... [--force]",
  help: `
Without --week or --since/--until the report covers the last complete ISO week (Monday to Sunday,
display zone, SPAMTRAIL_TZ). Without --out and --send it prints the text version.
--send mails it (HTML and text in one message) through SMTP: SPAMTRAIL_SMTP_HOST, _PORT, _SECURE
(auto|starttls|tls|none), _USER, _PASSWORD (or _PASSWORD_FILE), SPAMTRAIL_REPORT_FROM and
SPAMTRAIL_REPORT_TO; SPAMTRAIL_BASE_URL links the report to the dashboard. A period is sent once:
running it again sends nothing unless --force. The report covers every mail server (a line per
server when there are several); --host limits it to one (sent once per period and server).`,
  options: {
    db: DB_OPTION,
    week: { type: "string", value: "YYYY-Www", description: "the ISO week to report on, e.g. 2026-W47" },
    since: { type: "string", value: "DATE", description: "start of a custom period (with --until)" },
    until: {
      type: "string",
      value: "DATE",
      description: "end of a custom period: this date inclusive / before this time",
    },
    host: HOST_OPTION,
    out: { type: "string", value: "FILE", description: "write the HTML version to FILE" },
    text: { type: "boolean", description: "print the text version" },
    send: { type: "boolean", description: "mail the report (once per period)" },
    to: {
      type: "string",
      multiple: true,
      value: "ADDR",
      description: "recipient (repeatable; default: $SPAMTRAIL_REPORT_TO)",
    },
    force: { type: "boolean", description: "with --send: send even if this period was sent before" },
  },
  positionals: { min: 0, max: 0 },
  postgresql: true,
  async run(args, io) {
    const now = new Date();
    const period = periodOption(args, now);
    const host = hostOption(args);
    const send = flag(args, "send");
    if (!send && stringsOption(args, "to").length > 0) throw new UsageError("--to needs --send");
    if (!send && flag(args, "force")) throw new UsageError("--force needs --send");
    let config: ReturnType<typeof readReportConfig> | null = null;
    let baseUrl: string | null;
    let to: string[] = [];
    try {
      baseUrl = readBaseUrl(io.env);
      if (send) {
        config = readReportConfig(io.env);
        const given = stringsOption(args, "to");
        to = given.length > 0 ? parseAddresses(given, "--to") : config.to;
        if (to.length === 0)
          throw new ConfigError("no recipients: give --to ADDR or set SPAMTRAIL_REPORT_TO");
      }
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message);
      throw error;
    }
    const { prisma, close } = await openReadClient(resolveDatabaseTarget(stringOption(args, "db"), io.env));
    const { report, outcome } = await runReport({
      prisma,
      period,
      host,
      baseUrl,
      now: () => new Date(),
      send: config
        ? { from: config.from, to, force: flag(args, "force"), sender: smtpSender(config.smtp) }
        : null,
    }).finally(close);
    const out = stringOption(args, "out");
    if (out !== undefined) writeFileSync(out, report.html);
    const printText = flag(args, "text") || (out === undefined && !send);
    if (printText) io.stdout.write(report.text);
    const status = printText ? io.stderr : io.stdout;
    if (out !== undefined) status.write(`Wrote the HTML report for ${period.key} to ${out}.\n`);
    return describeOutcome(outcome, period.key, io, status);
  },
};
