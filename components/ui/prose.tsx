import { showInvisible } from "@/lib/core/visible-text";

/**
 * Explanation text with `code` spans (configuration to type) set in monospace; everything stays
 * text, and the log values in it show their control and bidi characters (as Clip does).
 */
export function Prose({ text }: { text: string }) {
  const parts = showInvisible(text).split("`");
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one string never reorder
          <code key={i} className="rounded bg-slate-100 px-1 font-mono text-[0.9em] dark:bg-slate-800">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}
