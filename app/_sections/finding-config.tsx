import Link from "next/link";
import { ConfigLocation } from "@/components/config/audit-result-card";
import { Section } from "@/components/ui/section";
import type { FindingKind } from "@/lib/detect/types";
import { getConfigLinesForFinding } from "@/lib/queries/config-audit";

/** The configuration line behind a finding, from the latest stored audit (nothing when none is known). */
export async function FindingConfigSection({ id, kind }: { id: number; kind: FindingKind }) {
  const results = await getConfigLinesForFinding({ id, kind });
  if (results.length === 0) return null;
  return (
    <Section title="In your configuration" id="config" aside={<Link href="/config">the whole audit</Link>}>
      <ul className="space-y-3">
        {results.map((r) => (
          <li key={`${r.check} ${r.service} ${r.file}:${r.line}`} className="panel p-3 text-sm">
            <p className="mb-1">
              <code className="font-mono text-xs font-semibold">{r.check}</code> <ConfigLocation result={r} />
            </p>
            {r.setting ? (
              <p className="mb-1">
                <code className="font-mono text-xs break-all">
                  {r.setting} = {r.value ?? ""}
                </code>
              </p>
            ) : null}
            <p className="mb-1 font-medium">Change it to</p>
            <pre className="overflow-x-auto rounded bg-slate-100 p-2 font-mono text-xs dark:bg-slate-800">
              {r.fix}
            </pre>
          </li>
        ))}
      </ul>
    </Section>
  );
}
