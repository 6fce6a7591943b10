/**
 * The Message-ID to match on: the text inside <…> when the raw header value is bracketed, else
 * the raw value trimmed; null when empty. Raw values can lack brackets, carry trailing junk
 * (`<id@host>+29A6…`) or be 2 kB long; the first <…> group wins.
 */
export function normaliseMessageId(raw: string): string | null {
  const text = raw.trim();
  if (text === "" || text === "<>") return null;
  const open = text.indexOf("<");
  if (open !== -1) {
    const close = text.indexOf(">", open + 1);
    if (close > open + 1) return text.slice(open + 1, close);
  }
  return text;
}
