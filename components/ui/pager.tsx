import Link from "next/link";

/** Previous / next page links; a missing href disables that side. */
export function Pager({
  label,
  previous,
  next,
  status,
  words = ["← Newer", "Older →"],
}: {
  label: string;
  previous: string | null;
  next: string | null;
  status?: string;
  /** The two links' words (default newer / older). */
  words?: readonly [string, string];
}) {
  const disabled = "btn pointer-events-none opacity-40";
  return (
    <nav aria-label={label} className="mt-4 flex flex-wrap items-center justify-between gap-2">
      {previous ? (
        <Link href={previous} prefetch={false} className="btn" rel="prev">
          {words[0]}
        </Link>
      ) : (
        <span className={disabled} aria-disabled="true">
          {words[0]}
        </span>
      )}
      {status ? <span className="text-sm muted">{status}</span> : null}
      {next ? (
        <Link href={next} prefetch={false} className="btn" rel="next">
          {words[1]}
        </Link>
      ) : (
        <span className={disabled} aria-disabled="true">
          {words[1]}
        </span>
      )}
    </nav>
  );
}
