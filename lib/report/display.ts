// Display helpers shared by the HTML and text renderers: log values made harmless and short,
// numbers, changes against the previous period.

import { showInvisible } from "../core/visible-text.ts";

const MAX_VALUE = 120;

/** A value from the logs as one visible line: control and bidi characters shown as \uXXXX, cut to `max` characters. */
export function logValue(value: string | null | undefined, max = MAX_VALUE): string {
  if (value === null || value === undefined || value === "") return "";
  // Control and bidi characters could hide or reorder text (a Message-ID that reads differently than it is).
  const visible = showInvisible(value);
  const chars = [...visible];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : visible;
}

/** Log-derived prose (a finding's summary): each word cut to `maxWord` characters, the whole to `max`. */
export function logText(value: string, max = 400, maxWord = 100): string {
  const long = new RegExp(`\\S{${maxWord + 1},}`, "gu");
  return logValue(
    value.replace(long, (word) => `${[...word].slice(0, maxWord - 1).join("")}…`),
    max,
  );
}

/** 1234 → "1,234". */
export const num = (n: number) => n.toLocaleString("en-US");

/** "+12 (+25%)", "−3 (−10%)", "±0", or "+5" when the previous period had none. */
export function change(current: number, previous: number): string {
  const delta = current - previous;
  if (delta === 0) return "±0";
  const sign = delta > 0 ? "+" : "−";
  if (previous === 0) return `${sign}${num(Math.abs(delta))}`;
  const percent = Math.round((Math.abs(delta) / previous) * 100);
  return `${sign}${num(Math.abs(delta))} (${sign}${percent}%)`;
}

/** "67%" or "–" without attempts. */
export const percent = (rate: number | null) => (rate === null ? "–" : `${Math.round(rate * 100)}%`);

export const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;

/** A list cut after `max` entries: "a, b, c and 4 more". */
export function shortList(values: readonly string[], max = 4): string {
  const shown = values.slice(0, max).map((v) => logValue(v, 60));
  return values.length > max ? `${shown.join(", ")} and ${values.length - max} more` : shown.join(", ");
}
