import type { ReactNode } from "react";

/** A titled block of a page; `id` makes it a link target. */
export function Section({
  title,
  id,
  children,
  aside,
}: {
  title: ReactNode;
  id?: string;
  children: ReactNode;
  aside?: ReactNode;
}) {
  return (
    <section id={id} aria-labelledby={id ? `${id}-title` : undefined} className="mb-8 scroll-mt-4">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={id ? `${id}-title` : undefined} className="text-lg font-semibold">
          {title}
        </h2>
        {aside ? <div className="text-sm muted">{aside}</div> : null}
      </div>
      {children}
    </section>
  );
}
