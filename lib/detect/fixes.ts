// The configuration changes findings recommend, each written once and checked against the programs'
// documentation (Postfix postconf(5), master(5), FILTER_README). These are Postfix's, for any
// filter content_filter hands mail to; a filter's own fixes are in its folder (lib/filters/dspam/fixes.ts).
// tests/fix-texts.test.ts pins the parameters each fix names.

/** Logins refused on the port-25 smtpd; people submit on 587. */
export const NO_LOGIN_ON_PORT_25 =
  "have those users send on port 587 (the submission service; when `content_filter` is set in main.cf, its master.cf entry needs `-o content_filter=`), and refuse logins on port 25: add `-o smtpd_sasl_auth_enable=no` to the port-25 smtpd in master.cf";

/** An smtpd for this machine's scripts without the filter; the public one keeps it. */
export const SPLIT_PORT_25 =
  "split the port-25 service in master.cf into two lines with the columns it has now: `<public IP>:smtp inet … smtpd` for mail from the Internet (filtered as before) and `127.0.0.1:smtp inet … smtpd -o content_filter=` for scripts on this machine (an empty `content_filter` turns the filter off for that service)";

/** Locally submitted mail (sendmail → pickup) out of the filter. */
export const NO_FILTER_ON_PICKUP =
  "take pickup out of the filter: add `-o content_filter=` to the pickup service in master.cf (`pickup unix n - y 60 1 pickup -o content_filter=`), or move `content_filter` from main.cf to an `-o content_filter=…` on the port-25 smtpd only — a `content_filter` in main.cf applies to pickup too";
