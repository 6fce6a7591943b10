import type { AuditModel } from "../assemble.ts";
import type { Listener } from "../model/mail-path.ts";
import type { Effective, PostfixService } from "../model/postfix.ts";
import { effective, listItems, mapReferences } from "../model/postfix.ts";

/** Where a setting is, for a result: the override or main.cf line, else the service line (where a `-o` goes). */
export function settingWhere(
  setting: Effective,
  service: PostfixService | null,
): { file: string | null; line: number | null } {
  if (setting.loc) return { file: setting.loc.file, line: setting.loc.line };
  if (service) return { file: service.loc.file, line: service.loc.line };
  return { file: null, line: null };
}

/** `smtp inet (port 25)`, `127.0.0.1:10026 inet`, `pickup` — how the admin finds the service in master.cf. */
export function serviceLabel(listener: Pick<Listener, "service" | "port" | "role">): string {
  const { name, type } = listener.service;
  const port = listener.port && !name.endsWith(String(listener.port)) ? ` (port ${listener.port})` : "";
  return listener.role === "pickup" ? "pickup (sendmail, cron)" : `${name} ${type}${port}`;
}

/** Where a setting's value comes from, in words. */
export function origin(setting: Effective, service: PostfixService | null): string {
  if (setting.from === "override")
    return `-o ${setting.name}=${setting.raw} on ${service?.name ?? "the service"}`;
  if (setting.from === "main") return `${setting.name} = ${setting.raw} in main.cf`;
  return `Postfix's default ${setting.name} = ${setting.raw}`;
}

/** Whether a filter value (`lmtp:unix:/var/run/dspam/dspam.sock`, `dspam:dummy`) hands mail to DSPAM. */
export function isDspamFilter(model: AuditModel, value: string): boolean {
  if (/dspam/i.test(value)) return true;
  const [transport, ...rest] = value.split(":");
  const nexthop = rest.join(":");
  const socket = model.dspam?.serverSocket;
  if (socket && nexthop.endsWith(socket)) return true;
  const port = model.dspam?.serverPort;
  if (port && new RegExp(`:${port}$`).test(nexthop)) return true;
  const service = model.postfix.services.find((s) => s.name === transport && s.type !== "inet");
  return service?.command === "pipe" && service.args.some((a) => /dspam/.test(a));
}

/** The address maps cleanup applies where expansion is on; none configured = nothing to duplicate. */
export function mappingSettings(model: AuditModel): Effective[] {
  return [
    "virtual_alias_maps",
    "canonical_maps",
    "recipient_canonical_maps",
    "always_bcc",
    "recipient_bcc_maps",
    "sender_bcc_maps",
  ]
    .map((name) => effective(model.postfix, null, name))
    .filter((s) => s.value.trim() !== "");
}

/** The domains delivered here (virtual_mailbox_domains, virtual_alias_domains, mydestination), literal names only. */
export function localDomains(model: AuditModel): string[] {
  const names = ["virtual_mailbox_domains", "virtual_alias_domains", "mydestination"].flatMap((name) =>
    listItems(effective(model.postfix, null, name).value),
  );
  return [
    ...new Set(
      names
        .filter((d) => /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(d) && mapReferences(d).length === 0)
        .map((d) => d.toLowerCase()),
    ),
  ];
}

/** The mailbox domains only: where people have dictionaries (virtual_mailbox_domains, else mydestination). */
export function mailboxDomains(model: AuditModel): string[] {
  const virtual = listItems(effective(model.postfix, null, "virtual_mailbox_domains").value).filter((d) =>
    /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(d),
  );
  if (virtual.length > 0) return [...new Set(virtual.map((d) => d.toLowerCase()))];
  return localDomains(model).filter((d) => !d.startsWith("localhost"));
}

/** Receiving services whose mail goes to a filter for at least one kind of client (not the reinjection). */
export const filteredListeners = (model: AuditModel) =>
  model.listeners.filter((l) => l.role !== "reinjection" && Object.keys(l.filterFor).length > 0);

export const reinjectionListeners = (model: AuditModel) =>
  model.returnPath.kind === "postfix" ? model.returnPath.listeners : [];

export const list = (values: string[]) =>
  values.length <= 1 ? (values[0] ?? "") : `${values.slice(0, -1).join(", ")} and ${values.at(-1)}`;

/** A receive_override_options list with one option added or removed (the other options kept). */
export function withOption(value: string, option: string, present: boolean): string {
  const items = listItems(value).filter((o) => o !== option);
  return (present ? [...items, option] : items).join(",");
}
