import Link from "next/link";
import { type ChartPoint, StackedBars } from "@/components/charts/stacked-bars";
import { findingHref, messagesHref } from "@/components/links";
import { Badge, SeverityBadge, StatusBadge } from "@/components/ui/badge";
import { Clip } from "@/components/ui/clip";
import { Empty } from "@/components/ui/empty";
import { Section } from "@/components/ui/section";
import { Stat } from "@/components/ui/stat";
import { type TrainingLine, TrainingTable } from "@/components/users/training-table";
import { showInvisible } from "@/lib/core/visible-text";
import { findingTitle } from "@/lib/detect/kinds";
import { filtersLabel, filtersUserWord } from "@/lib/filters/registry";
import { readFiltersInUse } from "@/lib/queries/dashboard-reads";
import { type MessageFilters, messageQuery } from "@/lib/queries/message-filters";
import { hasMail, noMailLogged } from "@/lib/queries/range-activity";
import { cachedRead } from "@/lib/queries/read-cache";
import {
  bucketFor,
  bucketLabels,
  bucketQuery,
  exactRangeQuery,
  queryRange,
  type ResolvedRange,
} from "@/lib/queries/time-range";
import { getUserDetail, type UserTraining } from "@/lib/queries/user-detail";

const line = (t: UserTraining): TrainingLine => ({
  ...t,
  target: t.dspamUser,
  classifiedBy: t.classifiedUser,
});

function fill<T extends { bucket: string }>(
  labels: string[],
  rows: T[],
  values: (row: T) => Record<string, number>,
): ChartPoint[] {
  const by = new Map(rows.map((r) => [r.bucket, values(r)]));
  const all = [...new Set([...labels, ...by.keys()])].sort();
  return all.map((label) => ({ label, values: by.get(label) ?? {} }));
}

/** One user: what the filter decided for them, their folders, their retraining and where it went wrong. */
export async function UserDetailSection({ user, range }: { user: string; range: ResolvedRange }) {
  const bucket = bucketFor(range);
  const counted = queryRange(range);
  const { value: detail } = await cachedRead(
    `user:${user}:${bucket}:${range.since.getTime()}-${range.until.getTime()}:${range.preset}@${range.host ?? ""}`,
    () => getUserDetail(user, { ...counted, bucket }),
  );
  // The database's filters, as the texts name them ("DSPAM", "DSPAM user"; "Rspamd", "Bayes user").
  const filters = await readFiltersInUse();
  const f = filtersLabel(filters);
  const fu = filtersUserWord(filters);
  // Each number is countMessages of the filter its link opens, in the same range.
  const exact = exactRangeQuery(range);
  const stat = (filters: MessageFilters) => messagesHref({ ...messageQuery(filters), ...exact });
  const labels = bucketLabels(range, bucket);
  const retrains = detail.recent.length;
  if (
    detail.messages.classified === 0 &&
    retrains === 0 &&
    detail.folders.length === 0 &&
    detail.findings.length === 0
  )
    return (
      <Empty>
        {(await hasMail(counted)) ? (
          <>
            Nothing about <Clip text={user} max={120} /> in this range: no verdict, delivery or retraining.
          </>
        ) : (
          noMailLogged(counted)
        )}
      </Empty>
    );
  return (
    <>
      <div className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat
          label={`Classified by ${f}`}
          value={detail.messages.classified}
          href={stat({ dspamUser: user })}
        />
        <Stat
          label="Judged spam"
          value={detail.messages.spam}
          tone="red"
          href={stat({ dspamUser: user, verdict: "spam" })}
        />
        <Stat
          label="Judged innocent"
          value={detail.messages.innocent}
          tone="green"
          href={stat({ dspamUser: user, verdict: "innocent" })}
        />
        <Stat
          label="Delivered to the mailbox"
          value={detail.messages.delivered}
          tone="sky"
          href={stat({ mailbox: user })}
          hint={
            showInvisible(detail.folders.map((f) => `${f.folder}: ${f.messages}`).join(" · ")) ||
            "not a mailbox"
          }
        />
      </div>
      {detail.findings.length > 0 ? (
        <Section title="Findings about this user" id="findings">
          <ul className="space-y-1 text-sm">
            {detail.findings.map((f) => (
              <li key={f.id} className="flex flex-wrap items-center gap-2">
                <SeverityBadge severity={f.severity} />
                <Link href={findingHref(f.id)} prefetch={false}>
                  <Clip text={findingTitle(f.kind, f.subject)} max={200} />
                </Link>
                <StatusBadge status={f.status} />
                <span className="muted">
                  {f.count} piece{f.count === 1 ? "" : "s"} of evidence about <Clip text={user} max={120} />
                </span>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {detail.lostRetrains.length > 0 ? (
        <Section title={`Retraining of this user's mail that went to another ${fu}`} id="lost">
          <p className="mb-3 text-sm muted">
            {f} classified these under <Clip text={user} max={120} />, but the retrain was sent to another{" "}
            {fu} (named after the IMAP login): <Clip text={user} max={120} />
            's dictionary never learnt from them.
          </p>
          <TrainingTable caption="Lost retrains" trainings={detail.lostRetrains.map(line)} userWord={fu} />
        </Section>
      ) : null}
      {detail.strayRetrains.length > 0 ? (
        <Section title={`Retraining aimed at this ${fu} for mail it never classified`} id="stray">
          <TrainingTable caption="Stray retrains" trainings={detail.strayRetrains.map(line)} userWord={fu} />
        </Section>
      ) : null}
      {detail.logins.length > 0 ? (
        <Section title="IMAP logins that retrained" id="logins">
          <ul className="flex flex-wrap gap-2 text-sm">
            {detail.logins.map((l) => (
              <li key={l.login} className="panel px-3 py-1.5">
                <Clip text={l.login} max={120} className="font-medium wrap-anywhere" />{" "}
                <span className="muted">
                  {l.retrains} retrain{l.retrains === 1 ? "" : "s"}
                </span>{" "}
                {l.misdirected > 0 ? <Badge tone="red">{l.misdirected} to the wrong user</Badge> : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      <Section title="Over time" id="charts">
        <div className="grid gap-4 lg:grid-cols-2">
          <StackedBars
            title={`${f} verdicts`}
            unit="messages"
            bucketHref={(label) => messagesHref({ dspam: user, ...bucketQuery(label, bucket) })}
            points={fill(labels, detail.verdictsOverTime, (r) => ({
              spam: r.spam,
              innocent: r.innocent,
              other: r.other,
            }))}
            series={[
              { key: "spam", label: "spam", fill: "fill-red-500", swatch: "bg-red-500" },
              { key: "innocent", label: "innocent", fill: "fill-emerald-500", swatch: "bg-emerald-500" },
              { key: "other", label: "other", fill: "fill-slate-400", swatch: "bg-slate-400" },
            ]}
          />
          <StackedBars
            title="Retraining"
            unit="retrainings"
            points={fill(labels, detail.trainingsOverTime, (r) => ({
              applied: r.applied,
              failed: r.failed,
              other: r.other,
            }))}
            series={[
              { key: "applied", label: "applied", fill: "fill-emerald-500", swatch: "bg-emerald-500" },
              { key: "failed", label: "failed", fill: "fill-red-500", swatch: "bg-red-500" },
              { key: "other", label: "unknown", fill: "fill-slate-400", swatch: "bg-slate-400" },
            ]}
          />
        </div>
      </Section>
      <Section title="Recent retraining" id="recent">
        {retrains === 0 ? (
          <Empty>
            No retraining involving <Clip text={user} max={120} /> in this range.
          </Empty>
        ) : (
          <TrainingTable caption="Recent retrains" trainings={detail.recent.map(line)} userWord={fu} />
        )}
      </Section>
    </>
  );
}
