import { AuditResultCard } from "@/components/config/audit-result-card";
import { ConfigHistory } from "@/components/config/config-history";
import { Empty } from "@/components/ui/empty";
import { Section } from "@/components/ui/section";
import { Time } from "@/components/ui/time";
import { getConfigAudit } from "@/lib/queries/config-audit";

/** The latest stored configuration audit, each result beside its log evidence, and the configuration's history. */
export async function ConfigAuditSection() {
  const audit = await getConfigAudit();
  if (!audit)
    return (
      <Empty>
        No configuration audited yet. Run <code className="font-mono">npx spamtrail audit --db …</code> on the
        mail server (or give it copies of the files); <code className="font-mono">spamtrail follow</code>{" "}
        audits the server's configuration every five minutes.
      </Empty>
    );
  const problems = audit.results.filter((r) => r.check !== "unexplained-symptom");
  const unexplained = audit.results.filter((r) => r.check === "unexplained-symptom");
  return (
    <>
      <p className="mb-6 text-sm muted">
        Audited <Time value={audit.seenAt} /> from <span className="break-all">{audit.source}</span>; this
        configuration since <Time value={audit.takenAt} />.
      </p>
      <Section title={`Problems (${problems.length})`} id="problems">
        {problems.length === 0 ? (
          <Empty>The configuration passes every check.</Empty>
        ) : (
          problems.map((r) => (
            <AuditResultCard key={`${r.check} ${r.service} ${r.file}:${r.line}`} result={r} />
          ))
        )}
      </Section>
      {unexplained.length > 0 ? (
        <Section title="In the logs, not explained by this configuration" id="unexplained">
          {unexplained.map((r) => (
            <AuditResultCard key={r.evidence[0]?.kind ?? r.problem} result={r} />
          ))}
        </Section>
      ) : null}
      <Section title="History" id="history">
        <ConfigHistory history={audit.history} />
      </Section>
    </>
  );
}
