// DSPAM's error texts: every ERR_* string of REL_3_10_2 src/language.h (up to its first %) and the
// few other LOG() texts of dspam.c / libdspam.c.
const ERROR_PREFIXES = [
  "Memory allocation failed",
  "Unable to read from file: ",
  "Unable to open file for writing: ",
  "Unable to write file: ",
  "Unable to close file: ",
  "Unable to rename file: ",
  "Unable to create directory: ",
  "Failed to lock file ",
  "Failed to free lock file ",
  "Backend initialization failure",
  "Unable to set LDAP protocol version",
  "Backend search failure",
  "External Lookup misconfigured",
  "Unable to determine the destination user",
  "Unable to read dspam.conf",
  "No DSPAM home specified",
  "Unable to determine the runtime user",
  "No such profile '",
  "No such class '",
  "No such source '",
  "No such delivery option '",
  "No such feature '",
  "No source was specified for this class",
  "No class was specified for this source",
  "Classify mode may not specify a class",
  "No operating mode was specified",
  "No training mode was specified",
  "Training buffer level must be 0-10",
  "Invalid training mode specified",
  "Ignoring disallowed preference '",
  "Unable to initialize agent context",
  "DSPAM agent misconfigured: aborting",
  "Failing over to storage profile '",
  "Could not fail over: out of failover servers",
  "Unable to clear attributes list",
  "Message parser failed. Unable to continue.",
  "The opt-in file ",
  "Delivery agent terminated by signal ",
  "Error opening pipe to delivery agent: ",
  "Unexpected return code ",
  "Error getting exit status of delivery agent: ",
  "Client exited with error ",
  "Option --user requires special privileges",
  "Program mode requires special privileges",
  "Context initialization failed",
  "Unable to attach DSPAM context",
  "Driver does not support ",
  "Unable to initialize storage driver",
  "DSPAM was not compiled with daemon support",
  "Could not bind to ",
  "Could not create socket: ",
  "Could not set sockopt ",
  "Unable to listen: ",
  "Unable to accept: ",
  "Thread creation failed: ",
  "Invalid client configuration",
  "Unable to connect to server",
  "No ClientIdent provided in dspam.conf",
  "Connection to ",
  "Unable to authenticate client",
  "Authentication rejected",
  "Error while authenticating: ",
  "Received error on greeting: ",
  "Packet send failure",
  "Received error in response to ",
  "Delivery failed completely",
  "Got error ",
  "Invalid data waiting for code ",
  "Skipping retraining for signature with ",
];

// Storage drivers prefix their errors with the C function name, e.g. `_mysql_drv_query_error: [1205] …`
// (mysql_drv.c format; no public sample).
const FUNCTION_PREFIX = /^_?[a-z][a-z0-9_]{2,60}: /;

/** True when a dspam syslog text is one of DSPAM's own error messages. */
// Unable to attach DSPAM context   |   Unable to determine the destination user   |   DSPAM agent misconfigured: aborting
export function isDspamErrorText(text: string): boolean {
  for (const prefix of ERROR_PREFIXES) {
    if (text.startsWith(prefix)) return true;
  }
  if (text.startsWith("Option ") && text.includes(" requires special privileges")) return true;
  return FUNCTION_PREFIX.test(text);
}
