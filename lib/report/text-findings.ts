// The findings sections of the text report.

import { formatStamp } from "../core/display-zone.ts";
import { kindTitle } from "../detect/kinds.ts";
import { sentence } from "../detect/words.ts";
import { logText, logValue, num, plural } from "./display.ts";
import { currentLabel, findingsShown } from "./labels.ts";
import type { FindingGroup, RenderContext, ReportExample } from "./model.ts";
import { localDate } from "./period.ts";
import { heading, wrap } from "./text-parts.ts";

type Ctx = RenderContext;

/** "New this week" and "Still open" as text blocks (empty strings are dropped by the caller). */
export function findingsBlocks(ctx: Ctx): string[] {
  const f = ctx.data.findings;
  const here = currentLabel(ctx.data);
  const notes = [
    f.quiet > 0
      ? wrap(
          `${plural(f.quiet, "older finding")} still open but not seen ${here}: if fixed, acknowledge ${f.quiet === 1 ? "it" : "them"} in the dashboard.`,
        )
      : "",
    f.silenced > 0
      ? wrap(`${plural(f.silenced, "acknowledged or muted finding")} also had evidence (not listed).`)
      : "",
  ].filter(Boolean);
  if (f.newCount + f.ongoingCount === 0)
    return [[heading("Findings"), `No open findings ${here}.`, ...notes].join("\n\n")];
  return [
    f.newCount > 0
      ? [heading(`New ${here} (${num(f.newCount)})`), ...f.newGroups.map((g) => group(ctx, g))].join("\n\n")
      : "",
    f.ongoingCount > 0
      ? [
          heading(`Still open (${num(f.ongoingCount)})`),
          `Seen before and again ${here}.`,
          ...f.ongoingGroups.map((g) => group(ctx, g)),
        ].join("\n\n")
      : "",
    notes.join("\n"),
  ];
}

function group(ctx: Ctx, g: FindingGroup): string {
  const lines = [
    `[${g.severity.toUpperCase()}] ${kindTitle(g.kind)}${g.findings.length > 1 ? ` (${g.findings.length})` : ""}`,
  ];
  for (const f of g.findings.slice(0, findingsShown(g))) {
    const since = f.isNew ? "" : ` Open since ${localDate(f.firstSeen)}.`;
    lines.push(wrap(`${sentence(f.about)}: ${logText(f.summary)}${since}`, "    ", "  * "));
    // examples for new findings only: the ones still open were shown when they were new
    if (f.isNew) for (const e of f.examples) lines.push(example(ctx, e));
    if (ctx.links) lines.push(`    Details: ${ctx.links.finding(f.id)}`);
    if (g.fix === null) lines.push(wrap(`Fix: ${logText(f.fix, 1000)}`, "      ", "    "));
  }
  const hidden = g.findings.length - findingsShown(g);
  if (hidden > 0)
    lines.push(
      `  and ${plural(hidden, "more finding")} of this kind${ctx.links ? `: ${ctx.links.findings}` : " (spamtrail findings)"}`,
    );
  if (g.fix !== null) lines.push(wrap(`Fix: ${logText(g.fix, 1000)}`, "    ", "  "));
  return lines.join("\n");
}

function example({ links }: Ctx, e: ReportExample): string {
  const subject = e.subject ? ` "${logValue(e.subject, 90)}"` : "";
  const sender = e.sender ? ` from ${logValue(e.sender, 80)}` : "";
  const lines = [
    wrap(
      `e.g. <${logValue(e.messageId)}>${subject}${sender}, ${formatStamp(e.ts, { seconds: false })}`,
      "         ",
      "    ",
    ),
  ];
  if (links) lines.push(`         ${links.message(e.messageId)}`);
  return lines.join("\n");
}
