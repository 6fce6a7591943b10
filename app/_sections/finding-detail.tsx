import Link from "next/link";
import { notFound } from "next/navigation";
import { changeFindingStatus } from "@/app/(dashboard)/findings/[id]/actions";
import { AuditList } from "@/components/findings/audit-list";
import { EvidenceList } from "@/components/findings/evidence-list";
import { StatusForm } from "@/components/findings/status-form";
import { findingHref, messagesHref } from "@/components/links";
import { Badge, SeverityBadge, StatusBadge } from "@/components/ui/badge";
import { Clip } from "@/components/ui/clip";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { Prose } from "@/components/ui/prose";
import { Section } from "@/components/ui/section";
import { Time } from "@/components/ui/time";
import { getSession } from "@/lib/auth/request";
import { FINDING_DEFINITIONS } from "@/lib/detect/kinds";
import { EVIDENCE_PAGE_SIZE, getFindingDetail } from "@/lib/queries/finding-detail";
import { FindingConfigSection } from "./finding-config";

const plural = (n: number, one: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : `${one}s`}`;

/** One finding: what, why, how to fix it, its decision trail and its evidence page by page. */
export async function FindingDetailSection({
  id,
  page,
  refused,
}: {
  id: number;
  page: number;
  refused: boolean;
}) {
  const [finding, session] = await Promise.all([getFindingDetail(id, { page }), getSession()]);
  if (!finding || !session) notFound();
  const pages = Math.max(1, Math.ceil(finding.count / EVIDENCE_PAGE_SIZE));
  return (
    <>
      <PageHeader
        title={
          <>
            {finding.title}
            <span className="block text-base font-normal wrap-anywhere muted">
              <Clip text={finding.about} max={400} />
            </span>
          </>
        }
      >
        <span className="flex flex-wrap items-center gap-2">
          <SeverityBadge severity={finding.severity} />
          <StatusBadge status={finding.status} />
          <span>
            {plural(finding.count, FINDING_DEFINITIONS[finding.kind]?.unit ?? "piece")} of evidence,{" "}
            <Time value={finding.firstSeen} /> – <Time value={finding.lastSeen} />
          </span>
        </span>
      </PageHeader>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div>
          <Section title="What is wrong" id="summary">
            <p className="break-words">
              <Prose text={finding.summary} />
            </p>
          </Section>
          <Section title="Likely cause" id="cause">
            <p className="break-words">
              <Prose text={finding.cause} />
            </p>
          </Section>
          <Section title="The fix" id="fix">
            <p className="panel border-l-4 border-l-emerald-500 p-3 break-words">
              <Prose text={finding.fix} />
            </p>
          </Section>
          <FindingConfigSection id={finding.id} kind={finding.kind} />
          {finding.related.length > 0 ? (
            <Section title="Related findings" id="related">
              <ul className="space-y-1 text-sm">
                {finding.related.map((r) => (
                  <li key={r.id}>
                    <Link href={findingHref(r.id)} prefetch={false}>
                      {r.title}
                    </Link>{" "}
                    {r.status !== "open" ? <StatusBadge status={r.status} /> : null}
                  </li>
                ))}
              </ul>
            </Section>
          ) : null}
        </div>
        <div>
          <Section title="Decision" id="decision">
            <div className="panel space-y-4 p-4">
              {refused ? (
                <p
                  role="alert"
                  className="rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
                >
                  Your change was refused: the form was stale or did not come from this page. Nothing changed;
                  try again.
                </p>
              ) : null}
              {finding.statusBy && finding.statusAt ? (
                <p className="text-sm">
                  <StatusBadge status={finding.status} /> by{" "}
                  <span className="font-medium">{finding.statusBy}</span> on <Time value={finding.statusAt} />
                  {finding.lastSeen > finding.statusAt && finding.status !== "open" ? (
                    <>
                      {" "}
                      <Badge tone="red">new evidence since</Badge>
                    </>
                  ) : null}
                </p>
              ) : null}
              <StatusForm
                findingId={finding.id}
                status={finding.status}
                csrf={session.csrfToken}
                action={changeFindingStatus}
              />
              <AuditList audit={finding.audit} />
            </div>
          </Section>
        </div>
      </div>
      <Section
        title="Evidence"
        id="evidence"
        aside={
          finding.messages > 0 ? (
            <Link href={messagesHref({ finding: String(finding.id) })} prefetch={false}>
              {finding.messages === 1
                ? "Its message"
                : `All ${finding.messages.toLocaleString("en-US")} messages`}{" "}
              →
            </Link>
          ) : null
        }
      >
        <EvidenceList evidence={finding.evidence} />
        <Pager
          label="Evidence pages"
          previous={page > 1 ? findingHref(finding.id, { page: page - 1 === 1 ? null : page - 1 }) : null}
          next={page < pages ? findingHref(finding.id, { page: page + 1 }) : null}
          status={`page ${page} of ${pages}`}
        />
      </Section>
    </>
  );
}
