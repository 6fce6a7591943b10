"use client";

import { useEffect } from "react";

/** What a segment shows when it failed: a plain message, the server log reference, a retry button. */
export function ErrorPanel({ error, retry, what }: { error: unknown; retry: () => void; what: string }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest =
    error instanceof Error && "digest" in error ? String((error as { digest?: unknown }).digest ?? "") : "";
  return (
    <div role="alert" className="panel border-l-4 border-l-red-500 p-5">
      <h2 className="text-lg font-semibold">Could not show {what}</h2>
      <p className="mt-1 text-sm muted">
        The server failed while reading the database. The server log has the details
        {digest ? (
          <>
            {" "}
            (reference <code className="font-mono">{digest}</code>)
          </>
        ) : null}
        .
      </p>
      <button type="button" className="btn mt-3" onClick={() => retry()}>
        Try again
      </button>
    </div>
  );
}
