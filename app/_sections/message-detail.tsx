import Link from "next/link";
import { notFound } from "next/navigation";
import { messageHref } from "@/components/links";
import { ExpandAll } from "@/components/message/expand-all";
import { MessageFacts } from "@/components/message/message-facts";
import { MessageFindings } from "@/components/message/message-findings";
import { Timeline } from "@/components/message/timeline";
import { Badge } from "@/components/ui/badge";
import { Clip } from "@/components/ui/clip";
import { CopyButton } from "@/components/ui/copy-button";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { Time } from "@/components/ui/time";
import { buildTimelines } from "@/lib/queries/message-timeline";
import { findMessage, getMessageFindings, getParentMessages } from "@/lib/queries/message-view";
import { PROGRESS_TEXT, progressOf } from "@/lib/queries/progress";

/** The drill-down of one message: its journeys hop by hop, the findings it shows, related mail. */
export async function MessageDetailSection({ id }: { id: string }) {
  const message = await findMessage(id);
  if (!message) notFound();
  const [findings, parents] = await Promise.all([getMessageFindings(message), getParentMessages(message)]);
  const timelines = buildTimelines(message);
  const title = message.messageId ?? message.journeys[0]?.key ?? id;
  const progress = message.journeys.map(progressOf).find((p) => p !== null) ?? null;
  return (
    <>
      <PageHeader
        title={<Clip text={`<${title}>`} max={1000} className="font-mono text-lg wrap-anywhere sm:text-xl" />}
        actions={
          <>
            {message.messageId ? <CopyButton text={message.messageId} label="Copy the Message-ID" /> : null}
            <ExpandAll />
          </>
        }
      >
        Every hop of this message through Postfix, the content filter and Dovecot, and what was retrained
        later. Open a step to see its log lines with their file and line number.
      </PageHeader>
      {progress ? (
        <p
          role="status"
          className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950"
        >
          <Badge tone="amber">in progress: {progress}</Badge> {PROGRESS_TEXT[progress]}. This page shows the
          message as far as it has been read; reload to see more. Findings may wait until its journey is
          final.
        </p>
      ) : null}
      {timelines.length > 1 ? (
        <p
          role="note"
          className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950"
        >
          <Badge tone="amber">received {timelines.length} times</Badge> Postfix accepted this Message-ID{" "}
          {timelines.length} times; each reception is shown below.
        </p>
      ) : null}
      <Section title="Findings" id="findings">
        <MessageFindings findings={findings} inProgress={progress !== null} />
      </Section>
      {timelines.map((timeline, i) => (
        <Section
          key={timeline.key}
          id={`journey-${i + 1}`}
          title={timelines.length > 1 ? `Reception ${i + 1} of ${timelines.length}` : "Journey"}
          aside={<span className="font-mono text-xs">{timeline.key}</span>}
        >
          <MessageFacts timeline={timeline} />
          <Timeline timeline={timeline} />
        </Section>
      ))}
      {parents.length > 0 || message.related.length > 0 ? (
        <Section title="Related messages" id="related">
          <ul className="space-y-1 text-sm">
            {parents.map((p) => (
              <li key={p.key}>
                This is a {p.relation} of{" "}
                <Link
                  href={messageHref(p.messageId ?? p.key)}
                  prefetch={false}
                  className="font-mono wrap-anywhere"
                >
                  <Clip text={p.messageId ?? p.key} max={200} />
                </Link>{" "}
                (<Time value={p.firstTs} />)
              </li>
            ))}
            {message.related.map((r) => (
              <li key={r.key}>
                {r.relation === "bounce" ? "Bounce" : r.relation}:{" "}
                <Link
                  href={messageHref(r.messageId ?? r.key)}
                  prefetch={false}
                  className="font-mono wrap-anywhere"
                >
                  <Clip text={r.messageId ?? r.key} max={200} />
                </Link>{" "}
                (<Time value={r.firstTs} />)
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}
