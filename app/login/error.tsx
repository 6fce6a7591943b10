"use client";

import { ErrorPanel } from "@/components/ui/error-panel";

export default function LoginError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <main className="mx-auto max-w-sm px-4 py-10">
      <ErrorPanel error={error} retry={retry} what="the sign-in page" />
    </main>
  );
}
