import type { Metadata } from "next";
import { Suspense } from "react";
import { ConfigAuditSection } from "@/app/_sections/config-audit";
import { PageHeader } from "@/components/ui/page-header";
import { BlockSkeleton } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Config" };

export default function ConfigPage() {
  return (
    <>
      <PageHeader title="Configuration">
        The line of your Postfix, Dovecot, DSPAM and Rspamd configuration behind each problem, the exact
        change that fixes it, and what the logs show of it.
      </PageHeader>
      <Suspense fallback={<BlockSkeleton height="h-64" />}>
        <ConfigAuditSection />
      </Suspense>
    </>
  );
}
