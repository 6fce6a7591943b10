import path from "node:path";
import type { ConfigKind } from "./types.ts";

const MASTER_TYPES = /^(inet|unix|unix-dgram|fifo|pass)$/;
const DSPAM_KEYS =
  /^(Home|StorageDriver|TrustedDeliveryAgent|DeliveryHost|ServerMode|ServerParameters|ClientHost|TrainingMode|Preference|AllowOverride|Trust)\b/;
// Names main.cf usually points its lookup tables at.
const MAP_NAMES =
  /^(aliases|virtual|vmailbox|virtual_\w+|transport|access|\w+_access|canonical|\w+_canonical|relocated|recipient_bcc|sender_bcc|generic|.*\.(pcre|regexp|cidr))$/;

const meaningful = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .slice(0, 200);

const share = (lines: string[], test: (line: string) => boolean) =>
  lines.length === 0 ? 0 : lines.filter(test).length / lines.length;

/**
 * What kind of configuration a file is, from its name and content; null when it is none Spamtrail
 * reads. `mapLike` says whether a file of unknown kind may be a Postfix lookup-table source.
 */
export function recogniseConfig(file: string, text: string): { kind: ConfigKind | null; mapLike: boolean } {
  const name = path.basename(file);
  const lines = meaningful(text);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  if (/^---\s|^diff\s/m.test(text.slice(0, 200))) return { kind: null, mapLike: false };
  if (/^# \d+\.\d+[.\d]* \([0-9a-f]+\): /.test(firstLine)) return { kind: "doveconf-n", mapLike: false };
  if (name === "main.cf") return { kind: "postfix-main", mapLike: false };
  if (name === "master.cf") return { kind: "postfix-master", mapLike: false };
  if (/\.sieve$/.test(name)) return { kind: "sieve", mapLike: false };
  if (/^### rspamadm configdump|^\*\*\* Section \S+ \*\*\*$/m.test(text.slice(0, 4000)))
    return { kind: "rspamd-configdump", mapLike: false };
  if (
    /^rspamd\.conf(\.local)?(\.override)?$/.test(name) ||
    (/(^|\/)(rspamd|local\.d|override\.d)(\/|$)/.test(path.dirname(file)) && /\.(conf|inc)$/.test(name))
  )
    return { kind: "rspamd-conf", mapLike: false };
  // A retraining script (Dovecot IMAPSieve's sieve_pipe_bin_dir) that calls rspamc learn_spam/learn_ham.
  if (/^#!/.test(firstLine) && /\brspamc\b(?:[^\n]|\\\n)*\blearn_(spam|ham)\b/.test(text))
    return { kind: "learn-script", mapLike: false };
  if (/^dspam\.conf/.test(name) || share(lines, (l) => DSPAM_KEYS.test(l)) > 0.3)
    return { kind: "dspam-conf", mapLike: false };
  if (share(lines, (l) => /^\S+\/[a-z-]+\/[A-Za-z0-9_.-]+\s*=/.test(l)) > 0.8)
    return { kind: "postconf-P", mapLike: false };
  if (share(lines, (l) => MASTER_TYPES.test(l.split(/\s+/)[1] ?? "") && l.split(/\s+/).length >= 8) > 0.8)
    return { kind: "postconf-M", mapLike: false };
  const dovecotish =
    /(^|\/)(dovecot|conf\.d)(\/|$)/.test(path.dirname(file)) || /^dovecot.*\.conf$/.test(name);
  if (dovecotish && /\.conf$/.test(name)) return { kind: "dovecot-conf", mapLike: false };
  if (
    lines.length > 0 &&
    share(lines, (l) => /^[a-z0-9_]+\s*=/.test(l)) > 0.9 &&
    lines.some((l) =>
      /^(myhostname|mydestination|mydomain|smtpd_\w+|smtp_\w+|virtual_\w+|alias_maps|inet_interfaces|compatibility_level|content_filter)\s*=/.test(
        l,
      ),
    )
  )
    return { kind: "postconf-n", mapLike: false };
  if (
    lines.some((l) => /^(protocols|mail_location|passdb|userdb|plugin|service)\b.*[={]/.test(l)) &&
    text.includes("{")
  )
    return { kind: "dovecot-conf", mapLike: false };
  return { kind: null, mapLike: MAP_NAMES.test(name) || /(^|\/)postfix(\/|$)/.test(path.dirname(file)) };
}
