import Link from "next/link";
import type { ReactNode } from "react";

/** "Not here": what was looked for, and where to look instead. */
export function NotFoundPanel({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="panel p-6">
      <h1 className="text-xl font-semibold">{title}</h1>
      <div className="mt-2 text-sm muted">{children}</div>
      <p className="mt-4 flex flex-wrap gap-2">
        <Link prefetch={false} href="/" className="btn">
          Overview
        </Link>
        <Link prefetch={false} href="/messages" className="btn">
          Search messages
        </Link>
      </p>
    </div>
  );
}
