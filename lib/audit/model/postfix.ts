import type { MainCf, Setting } from "../parse/main-cf.ts";
import type { MapFile } from "../parse/map-file.ts";
import { type MasterService, type ServiceOption, serviceKey } from "../parse/master-cf.ts";
import type { ServiceOverride } from "../parse/postconf-p.ts";
import type { Location } from "../types.ts";

/** A `-o` override as the audit sees it: from master.cf / postconf -M (an option token) or postconf -P (a line). */
export type Override = { name: string; value: string; loc: Location; option: ServiceOption | null };

export type PostfixService = {
  key: string;
  name: string;
  type: string;
  command: string;
  args: string[];
  loc: Location;
  /** Last `-o` of each name wins (master(5)). */
  overrides: Map<string, Override>;
  /** The service line as written, for edits that rewrite it (postconf -M). */
  source: "postfix-master" | "postconf-M" | "postconf-P";
};

export type PostfixConfig = {
  main: Map<string, Setting>;
  /** The file main.cf settings come from (main.cf or postconf -n output); null when none was given. */
  mainFile: string | null;
  mainSource: "postfix-main" | "postconf-n" | null;
  mainLineCount: number;
  services: PostfixService[];
  masterFile: string | null;
  masterSource: "postfix-master" | "postconf-M" | null;
  /** The postconf -P output overrides come from, when one was given: fixes for overrides go there. */
  overridesFile: string | null;
  overridesLineCount: number;
  /** Lookup-table sources given, by the path main.cf names them with (e.g. /etc/postfix/virtual). */
  maps: Map<string, MapFile & { file: string }>;
};

// Defaults (postconf -d, Postfix 3.x) of the parameters the audit reads.
const DEFAULTS: Record<string, string> = {
  content_filter: "",
  receive_override_options: "",
  smtpd_sasl_auth_enable: "no",
  syslog_name: "postfix",
  inet_interfaces: "all",
  mynetworks: "127.0.0.0/8",
  virtual_alias_maps: "$virtual_maps",
  virtual_maps: "",
  virtual_mailbox_domains: "$virtual_mailbox_maps",
  virtual_mailbox_maps: "",
  virtual_alias_domains: "$virtual_alias_maps",
  mydestination: "$myhostname, localhost.$mydomain, localhost",
  smtpd_client_restrictions: "",
  smtpd_helo_restrictions: "",
  smtpd_sender_restrictions: "",
  smtpd_relay_restrictions: "permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination",
  smtpd_recipient_restrictions: "",
  always_bcc: "",
  canonical_maps: "",
  recipient_canonical_maps: "",
  recipient_bcc_maps: "",
  sender_bcc_maps: "",
};

/** Where a parameter's effective value for a service comes from. */
export type Effective = {
  name: string;
  value: string;
  raw: string;
  from: "override" | "main" | "default";
  loc: Location | null;
  override: Override | null;
};

/** The value a service runs with: its `-o` override, else main.cf, else Postfix's default; `$name` expanded. */
export function effective(config: PostfixConfig, service: PostfixService | null, name: string): Effective {
  const override = service?.overrides.get(name) ?? null;
  const main = config.main.get(name);
  const raw = override?.value ?? main?.value ?? DEFAULTS[name] ?? "";
  const from = override ? "override" : main ? "main" : "default";
  return {
    name,
    raw,
    value: expand(config, service, raw),
    from,
    loc: override?.loc ?? main?.loc ?? null,
    override,
  };
}

/** Expands `$name` and `${name}` (not the `${name?value}` forms) against main.cf, the defaults and the service's overrides. */
export function expand(
  config: PostfixConfig,
  service: PostfixService | null,
  value: string,
  depth = 0,
): string {
  if (depth > 8 || !value.includes("$")) return value;
  return value.replace(
    /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g,
    (_whole, braced: string, bare: string) => {
      const name = braced ?? bare;
      if (name === "service_name") return service?.name ?? "";
      const raw = service?.overrides.get(name)?.value ?? config.main.get(name)?.value ?? DEFAULTS[name] ?? "";
      return expand(config, service, raw, depth + 1);
    },
  );
}

/** Splits a Postfix list value (commas and/or whitespace). */
export const listItems = (value: string) =>
  value
    .split(/[\s,]+/)
    .map((v) => v.trim())
    .filter((v) => v !== "");

/** Builds the configuration from main.cf (or postconf -n), master.cf (or postconf -M) and postconf -P. */
export function buildPostfixConfig(parts: {
  main: (MainCf & { file: string; source: "postfix-main" | "postconf-n"; lineCount: number }) | null;
  master: { services: MasterService[]; file: string; source: "postfix-master" | "postconf-M" } | null;
  postconfP: { overrides: ServiceOverride[]; file: string; lineCount: number } | null;
  maps: Map<string, MapFile & { file: string }>;
}): PostfixConfig {
  const services = new Map<string, PostfixService>();
  for (const s of parts.master?.services ?? []) {
    services.set(serviceKey(s), {
      key: serviceKey(s),
      name: s.name,
      type: s.type,
      command: s.command,
      args: s.args,
      loc: s.loc,
      overrides: new Map(
        s.options.map((o) => [
          o.name,
          { name: o.name, value: o.value, option: o, loc: lineLoc(s.loc.file, o.line) },
        ]),
      ),
      source: parts.master?.source ?? "postfix-master",
    });
  }
  if (parts.postconfP) {
    // postconf -P is the authority for overrides when given: its lines are what `postconf -P` edits.
    for (const s of services.values()) s.overrides = new Map();
    for (const o of parts.postconfP.overrides) {
      const key = `${o.service}/${o.type}`;
      let service = services.get(key);
      if (!service) {
        service = {
          key,
          name: o.service,
          type: o.type,
          command: o.type === "inet" ? "smtpd" : "",
          args: [],
          loc: o.loc,
          overrides: new Map(),
          source: "postconf-P",
        };
        services.set(key, service);
      }
      service.overrides.set(o.name, { name: o.name, value: o.value, loc: o.loc, option: null });
    }
  }
  return {
    main: parts.main?.settings ?? new Map(),
    mainFile: parts.main?.file ?? null,
    mainSource: parts.main?.source ?? null,
    mainLineCount: parts.main?.lineCount ?? 0,
    services: [...services.values()],
    masterFile: parts.master?.file ?? null,
    masterSource: parts.master?.source ?? null,
    overridesFile: parts.postconfP?.file ?? null,
    overridesLineCount: parts.postconfP?.lineCount ?? 0,
    maps: parts.maps,
  };
}

const lineLoc = (file: string, line: number): Location => ({ file, line, endLine: line });

/** The map references (`hash:/etc/postfix/virtual`, `texthash:…`, `pcre:…`) of a parameter value. */
export function mapReferences(value: string): { type: string; path: string }[] {
  return listItems(value)
    .map((item) => /^(?:proxy:)?([a-z0-9]+):(\/.+)$/.exec(item))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ type: m[1] ?? "", path: m[2] ?? "" }));
}
