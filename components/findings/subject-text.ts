/** What a finding is about, in one line (its subject's values). */
export function subjectText(subject: Record<string, string>): string {
  return Object.values(subject).join(" · ");
}
