// The fixes findings recommend that are DSPAM's own (its dspam.conf, its reinjection service, the
// dovecot-antispam plugin that retrains it), checked against the programs' documentation like
// lib/detect/fixes.ts's. tests/fix-texts.test.ts pins the parameters each fix names.
/** FILTER_README's reinjection service list, with the option that stops the second alias expansion. */
export const REINJECTION_OVERRIDES =
  "-o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_address_mappings";

/**
 * Aliases expanded once, before DSPAM: the reinjection smtpd gets `no_address_mappings` added to the
 * `receive_override_options` it already has (master(5): a second `-o` of the same name replaces the
 * first, so the existing options must be repeated).
 */
export const EXPAND_BEFORE_DSPAM =
  "on the reinjection service in master.cf (the smtpd DSPAM delivers to: dspam.conf's `DeliveryHost`/`DeliveryPort`, e.g. 127.0.0.1:10026) add `no_address_mappings` to the `receive_override_options` list it already has, keeping the options there, e.g. `" +
  REINJECTION_OVERRIDES +
  "`. Do not add a second `-o receive_override_options=` line: the last one replaces the first, and the checks the first turned off would come back";

/**
 * content_filter hands the whole message, for all its recipients, to the filter (postconf(5)); only
 * a transport chosen per recipient keeps forwarded copies away from DSPAM.
 */
export const DSPAM_AS_MAILBOX_TRANSPORT =
  "`content_filter` sends the entire message, for every recipient, to DSPAM: Postfix has no per-recipient switch for it. Either accept that forwarded copies are judged (DSPAM keeps a dictionary for each forward target, and nobody trains it), or let DSPAM see only copies for local mailboxes: remove `content_filter` and make DSPAM the mailbox transport — `virtual_transport = lmtp:unix:/var/run/dspam/dspam.sock` in main.cf (`mailbox_transport` for domains local(8) delivers) — with `DeliveryProto LMTP` and `DeliveryHost` set to Dovecot's LMTP socket (e.g. /var/run/dovecot/lmtp) in dspam.conf, so that DSPAM hands each judged copy to Dovecot. Forwarded copies then leave by smtp without passing DSPAM, and aliases are expanded only once";

/** Retraining names the DSPAM user that classified the mail: the full address. */
export const RETRAIN_FULL_ADDRESS =
  "make the dspam command name the user DSPAM classified under, the full address: set `auth_default_realm = example.com` in Dovecot (`auth_default_domain` from Dovecot 2.4) so that logins without a domain get it and `%u` is the full address — check that the userdb and mail_location still find the same mailboxes — or, on a server with a single domain, name it in the plugin setting: `antispam_dspam_args = --deliver=;--client;--user;%n@example.com`";

/** Removing a dictionary nobody trains. */
export const REMOVE_DICTIONARY =
  "check each with `dspam_stats <user>` and delete it (hash driver: its directory under DSPAM's data directory, e.g. /var/spool/dspam/data/<user>/)";
