import { showInvisible } from "@/lib/core/visible-text";
import { maskSecrets } from "@/lib/queries/redact";
import { CopyButton } from "./copy-button";

export type RawLineView = { id: number; raw: string; source: string; lineNo: number };

// Lines are stored up to 16 KiB; the first part is enough to read, the rest is one click away.
const SHOWN = 2000;

function RawText({ text }: { text: string }) {
  if (text.length <= SHOWN)
    return <pre className="font-mono text-xs whitespace-pre-wrap wrap-anywhere">{text}</pre>;
  return (
    <>
      <pre className="font-mono text-xs whitespace-pre-wrap wrap-anywhere">{text.slice(0, SHOWN)}…</pre>
      <details className="mt-1">
        <summary className="text-xs text-sky-700 dark:text-sky-400">
          {(text.length - SHOWN).toLocaleString("en-US")} more characters
        </summary>
        <pre className="font-mono text-xs whitespace-pre-wrap wrap-anywhere">{text.slice(SHOWN)}</pre>
      </details>
    </>
  );
}

/** A raw log line as the dashboard shows it: passwords masked, control and bidi characters as \uXXXX (tabs kept). */
export const shownLine = (raw: string) => showInvisible(maskSecrets(raw), { keepLines: true });

/** Raw log lines as text (never HTML), with their file and line number; passwords masked. */
export function RawLines({ lines }: { lines: readonly RawLineView[] }) {
  if (lines.length === 0) return <p className="text-sm muted">No log lines kept for this step.</p>;
  return (
    <>
      {lines.length > 1 ? (
        <p className="mt-2 text-xs muted">
          {lines.length} lines
          <CopyButton text={lines.map((l) => shownLine(l.raw)).join("\n")} label="Copy these log lines" />
        </p>
      ) : null}
      <ol className="mt-2 space-y-1">
        {lines.map((line) => (
          <li key={line.id} className="rounded bg-slate-100 px-2 py-1 dark:bg-slate-800/70">
            <div className="font-mono text-[11px] text-slate-500 wrap-anywhere dark:text-slate-400">
              <span>
                {showInvisible(line.source)}:{line.lineNo}
              </span>
              <CopyButton text={shownLine(line.raw)} label="Copy this log line" />
            </div>
            <RawText text={shownLine(line.raw)} />
          </li>
        ))}
      </ol>
    </>
  );
}
