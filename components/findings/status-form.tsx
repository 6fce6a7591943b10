import type { FindingAction } from "@/lib/queries/finding-actions";

const BUTTONS: Record<string, { action: FindingAction; label: string }[]> = {
  open: [
    { action: "acknowledge", label: "Acknowledge" },
    { action: "mute", label: "Mute" },
  ],
  acknowledged: [
    { action: "reopen", label: "Reopen" },
    { action: "mute", label: "Mute" },
  ],
  muted: [
    { action: "reopen", label: "Reopen" },
    { action: "acknowledge", label: "Acknowledge" },
  ],
};

/**
 * Acknowledge / mute / reopen with an optional note; a plain POST form carrying the CSRF token.
 * The note box starts empty: a note belongs to one decision (the status changes list keeps it),
 * so a later decision never records it again.
 */
export function StatusForm({
  findingId,
  status,
  csrf,
  action,
}: {
  findingId: number;
  status: string;
  csrf: string;
  action: (form: FormData) => Promise<void>;
}) {
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="csrf" value={csrf} />
      <input type="hidden" name="findingId" value={findingId} />
      <label htmlFor="note" className="block text-sm font-medium">
        Note{" "}
        <span className="font-normal muted">(optional, for this decision: ticket, reason, who fixes it)</span>
      </label>
      <textarea id="note" name="note" rows={2} maxLength={1000} defaultValue="" className="w-full" />
      <div className="flex flex-wrap gap-2">
        {(BUTTONS[status] ?? BUTTONS.open ?? []).map((b, i) => (
          <button
            key={b.action}
            type="submit"
            name="action"
            value={b.action}
            className={`btn ${i === 0 ? "btn-primary" : ""}`}
          >
            {b.label}
          </button>
        ))}
      </div>
      <p className="text-xs muted">
        Acknowledged findings stay listed; muted ones are hidden from the overview and the default list. New
        evidence after your decision is counted and shown.
      </p>
    </form>
  );
}
