import type { AuditModel } from "../assemble.ts";
import { appendLines, type Change, combine, optionText, replaceSettingLine } from "../edits.ts";
import type { Listener } from "../model/mail-path.ts";
import { listenAddress } from "../model/mail-path.ts";
import { lineCount } from "../parse/logical-lines.ts";

// FILTER_README's after-filter smtpd, plus no_address_mappings: DSPAM has already been given the
// expanded recipients, so they must not be expanded again.
const REINJECTION_OPTIONS: [string, string][] = [
  ["content_filter", ""],
  [
    "receive_override_options",
    "no_unknown_recipient_checks,no_header_body_checks,no_milters,no_address_mappings",
  ],
  ["smtpd_helo_restrictions", ""],
  ["smtpd_client_restrictions", ""],
  ["smtpd_sender_restrictions", ""],
  ["smtpd_relay_restrictions", ""],
  ["smtpd_recipient_restrictions", "permit_mynetworks,reject"],
  ["mynetworks", "127.0.0.0/8"],
  ["smtpd_authorized_xforward_hosts", "127.0.0.0/8"],
];

/** A free loopback port for a new reinjection smtpd (10026 unless a service already uses it). */
export function freeReinjectionPort(model: AuditModel): number {
  const used = new Set(model.postfix.services.map((s) => listenAddress(s.name).port));
  let port = 10026;
  while (used.has(port)) port += 1;
  return port;
}

/** Adds a dedicated reinjection smtpd on 127.0.0.1:PORT to master.cf (or the postconf -M/-P dumps). */
export function addReinjectionService(model: AuditModel, port: number): Change {
  const { postfix } = model;
  const name = `127.0.0.1:${port}`;
  const head = `${name} inet n - n - - smtpd`;
  if (!postfix.masterFile)
    return { edits: [], lines: [head, ...REINJECTION_OPTIONS.map(([n, v]) => `  ${optionText(n, v)}`)] };
  const masterLines = lineCount(model.files.get(postfix.masterFile)?.join("\n") ?? "");
  if (postfix.overridesFile) {
    const overrides = REINJECTION_OPTIONS.map(([n, v]) => `${name}/inet/${n} = ${v}`);
    return combine(
      appendLines(postfix.masterFile, masterLines, [head]),
      appendLines(postfix.overridesFile, postfix.overridesLineCount, overrides),
    );
  }
  if (postfix.masterSource === "postconf-M")
    return appendLines(postfix.masterFile, masterLines, [
      `${head} ${REINJECTION_OPTIONS.map(([n, v]) => optionText(n, v)).join(" ")}`,
    ]);
  return appendLines(postfix.masterFile, masterLines, [
    head,
    ...REINJECTION_OPTIONS.map(([n, v]) => `  ${optionText(n, v)}`),
  ]);
}

/** Points DSPAM's delivery at 127.0.0.1:PORT over SMTP (dspam.conf DeliveryHost/DeliveryPort/DeliveryProto). */
export function pointDspamAt(model: AuditModel, port: number): Change {
  const lines = [
    "DeliveryHost 127.0.0.1",
    `DeliveryPort ${port}`,
    "DeliveryIdent localhost",
    "DeliveryProto SMTP",
  ];
  const dspam = model.dspam;
  if (!dspam) return { edits: [], lines: lines.map((l) => `dspam.conf: ${l}`) };
  const keys = ["DeliveryHost", "DeliveryPort", "DeliveryIdent", "DeliveryProto", "TrustedDeliveryAgent"];
  const existing = dspam.conf.settings.filter((s) =>
    keys.some((k) => k.toLowerCase() === s.key.toLowerCase()),
  );
  const [firstSetting, ...others] = existing;
  if (!firstSetting) return appendLines(dspam.file, model.files.get(dspam.file)?.length ?? 0, lines);
  const replaced = replaceSettingLine(model.files, firstSetting.loc, lines.join("\n"));
  return {
    edits: [
      { ...(replaced.edits[0] ?? { file: dspam.file, startLine: 1, endLine: 0 }), lines },
      ...others.map((s) => ({ file: dspam.file, startLine: s.loc.line, endLine: s.loc.line, lines: [] })),
    ],
    lines,
  };
}

/** When DSPAM reinjects through sendmail (pickup), a dedicated smtpd is the only place to switch expansion off after it. */
export function dedicatedReinjection(model: AuditModel, _pickup: Listener): Change {
  const port = freeReinjectionPort(model);
  return combine(addReinjectionService(model, port), pointDspamAt(model, port));
}
