// Characters that change how a terminal or a page shows the text around them instead of being
// shown: C0/C1 controls and DEL (ESC starts terminal sequences, CR overwrites a line), format
// characters (bidi overrides and isolates, zero-width characters, invisible tags) and the line and
// paragraph separators. Log values come from whoever sends mail; these are shown as \uXXXX.
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

// Each UTF-16 unit as \uXXXX: the same escape JSON and JavaScript read back as the character.
const unicodeEscape = (char: string) =>
  Array.from(char.split(""), (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");

/**
 * The text with every control, format and separator character shown as \uXXXX. With `keepLines`,
 * newline and tab stay as they are (text made of several lines or columns).
 */
export function showInvisible(text: string, options: { keepLines?: boolean } = {}): string {
  return text.replace(INVISIBLE, (char) =>
    options.keepLines && (char === "\n" || char === "\t") ? char : unicodeEscape(char),
  );
}
