import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import { type FindingRef, findingTitle, relatedFindings } from "../detect/kinds.ts";

/** A link from one finding to another of the same cause, or one it causes. */
export type RelatedLink = { id: number; title: string; status: string };

/** The related findings of each finding (lib/detect/kinds.ts relatedFindings), among those with evidence. */
export async function getRelatedLinks(
  findings: readonly FindingRef[],
  prisma: PrismaClient = getPrisma(),
): Promise<Map<number, RelatedLink[]>> {
  const links = new Map<number, RelatedLink[]>();
  if (findings.length === 0) return links;
  const candidates = (
    await prisma.finding.findMany({
      where: { count: { gt: 0 } },
      select: { id: true, kind: true, subject: true, status: true },
      orderBy: { id: "asc" },
    })
  ).map((f) => ({ ...f, subject: JSON.parse(f.subject) as Record<string, string> }));
  for (const finding of findings)
    links.set(
      finding.id,
      relatedFindings(finding, candidates).map((c) => ({
        id: c.id,
        title: findingTitle(c.kind, c.subject),
        status: c.status,
      })),
    );
  return links;
}
