// What the URL accepts for from/to (lib/core/display-zone.ts parseLocalDate): a date, or a date and
// a time. A text field, so a URL's `from=2026-11-01` shows as it is (a datetime-local field
// would show an empty mm/dd/yyyy box for it).
const DATE_PATTERN = "\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2})?)?";

/** A from/to field of a GET form (name `from` or `to`). */
export function DateInput({
  id,
  name,
  defaultValue,
}: {
  id: string;
  name: "from" | "to";
  defaultValue: string;
}) {
  return (
    <input
      id={id}
      name={name}
      type="text"
      inputMode="numeric"
      pattern={DATE_PATTERN}
      placeholder="YYYY-MM-DD HH:MM"
      title={`YYYY-MM-DD or YYYY-MM-DD HH:MM; without a time, ${name === "from" ? "from the start" : "to the end"} of that day`}
      size={16}
      autoComplete="off"
      defaultValue={defaultValue}
    />
  );
}
