"use client";

import "./globals.css";
import { ErrorPanel } from "@/components/ui/error-panel";

// The last resort when the root layout itself failed: it must bring its own html and body.
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body>
        <main className="mx-auto max-w-3xl px-4 py-10">
          <ErrorPanel error={error} retry={retry} what="Spamtrail" />
        </main>
      </body>
    </html>
  );
}
