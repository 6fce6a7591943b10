/**
 * A command argument the POSIX shell reads back as exactly `value` (a Message-ID from the logs in
 * a command to copy and paste): plain words as they are, anything else in single quotes, where
 * nothing but the quote itself is special.
 */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9@%+=:,./_-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `spamtrail <command> <argument>`, quoted; `--` first when the argument would read as an option. */
export function spamtrailCommand(command: string, argument: string): string {
  return `spamtrail ${command} ${argument.startsWith("-") ? "-- " : ""}${shellQuote(argument)}`;
}
