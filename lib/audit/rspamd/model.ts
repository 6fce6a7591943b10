import type { Location } from "../types.ts";
import { DEFAULT_FILE, type RspamdConfig } from "./load.ts";
import { booleanOf, lookup, lookupAll, type Node, textOf } from "./tree.ts";

/** A setting as the checks see it: its value and where it is (null loc: Rspamd's default). */
export type RspamdSetting = { name: string; value: string; loc: Location | null };

/** A rule of the settings module (local.d/settings.conf) and whom it matches. */
export type SettingsRule = {
  name: string;
  authenticated: boolean;
  local: boolean;
  ips: string[];
  users: string[];
  loc: Location | null;
};

export type RspamdModel = RspamdConfig & {
  bayes: {
    /** `per_user` or `users_enabled` (redis_backend.cxx reads either): true, a Lua function, or off. */
    perUser: RspamdSetting | null;
    perUserMode: "off" | "recipient" | "lua";
    minLearns: RspamdSetting;
    autolearn: RspamdSetting | null;
    backend: RspamdSetting;
    servers: RspamdSetting | null;
    /** The classifier's file to edit (local.d/classifier-bayes.conf, given or to be made). */
    file: string | null;
  };
  /** Redis servers every module falls back to (the `redis` section). */
  redisServers: RspamdSetting | null;
  settingsRules: SettingsRule[];
  /** Where rules of the settings module are written. */
  settingsFile: string | null;
  /** The proxy worker's milter sockets (`worker "rspamd_proxy" { milter = yes; bind_socket = … }`). */
  milterSockets: string[];
  controllerSockets: string[];
  /** milter_headers' skip_authenticated / skip_local, when set: false adds its X-Spam headers to that mail too. */
  milterHeaders: { skipAuthenticated: RspamdSetting | null; skipLocal: RspamdSetting | null };
};

const locOf = (node: Node | null): Location | null =>
  node && node.loc.file !== DEFAULT_FILE ? node.loc : null;

function setting(root: Node, path: string[], names = [path.at(-1) ?? ""]): RspamdSetting | null {
  for (const name of names) {
    const node = lookup(root, [...path.slice(0, -1), name]);
    const value = textOf(node);
    if (node && value !== null) return { name, value, loc: locOf(node) };
    if (node) return { name, value: "{…}", loc: locOf(node) };
  }
  return null;
}

const BAYES = ["classifier", "bayes"];

/** What the audit needs of Rspamd's merged configuration. */
export function buildRspamdModel(config: RspamdConfig, files: string[]): RspamdModel {
  const { root } = config;
  const perUser = setting(root, [...BAYES, "per_user"], ["per_user", "users_enabled"]);
  const perUserNode = lookup(root, [...BAYES, perUser?.name ?? "per_user"]);
  const perUserMode: RspamdModel["bayes"]["perUserMode"] = !perUser
    ? "off"
    : booleanOf(perUserNode) === true
      ? "recipient"
      : booleanOf(perUserNode) === false
        ? "off"
        : "lua";
  const inLocal = (name: string) => (config.localDir ? `${config.localDir}/${name}` : null);
  const given = (name: string) => files.find((f) => f.endsWith(`/local.d/${name}`)) ?? inLocal(name);
  return {
    ...config,
    bayes: {
      perUser,
      perUserMode,
      minLearns: setting(root, [...BAYES, "min_learns"]) ?? { name: "min_learns", value: "0", loc: null },
      autolearn: setting(root, [...BAYES, "autolearn"]),
      backend: setting(root, [...BAYES, "backend"]) ?? { name: "backend", value: "mmap", loc: null },
      servers: setting(root, [...BAYES, "servers"], ["servers", "write_servers", "read_servers"]),
      file: given("classifier-bayes.conf"),
    },
    redisServers: setting(root, ["redis", "servers"], ["servers", "write_servers", "read_servers"]),
    settingsRules: settingsRules(root),
    settingsFile: given("settings.conf"),
    milterSockets: workerSockets(root, "rspamd_proxy", (w) => booleanOf(lookup(w, ["milter"])) !== false),
    controllerSockets: workerSockets(root, "controller", () => true),
    milterHeaders: {
      skipAuthenticated: setting(root, ["milter_headers", "skip_authenticated"]),
      skipLocal: setting(root, ["milter_headers", "skip_local"]),
    },
  };
}

function settingsRules(root: Node): SettingsRule[] {
  const section = lookup(root, ["settings"]);
  if (section?.kind !== "object") return [];
  const out: SettingsRule[] = [];
  for (const [name, slot] of section.keys) {
    for (const rule of slot.values) {
      if (rule.kind !== "object") continue;
      const all = (key: string) =>
        lookupAll(rule, [key]).flatMap((n) => (n.kind === "array" ? n.items : [n]).map(textOf));
      out.push({
        name,
        authenticated: booleanOf(lookup(rule, ["authenticated"])) === true,
        local: booleanOf(lookup(rule, ["local"])) === true,
        ips: all("ip").filter((v): v is string => v !== null),
        users: all("user").filter((v): v is string => v !== null),
        loc: locOf(rule),
      });
    }
  }
  return out;
}

function workerSockets(root: Node, name: string, wanted: (worker: Node) => boolean): string[] {
  return lookupAll(root, ["worker", name])
    .filter(wanted)
    .flatMap((w) => lookupAll(w, ["bind_socket"]))
    .flatMap((n) => (n.kind === "array" ? n.items : [n]))
    .map((n) => (textOf(n) ?? "").split(/\s+/)[0] ?? "")
    .filter((s) => s !== "");
}

/** Whether a Postfix milter value (`inet:127.0.0.1:11332`, `unix:/run/rspamd/milter.sock`, `{ inet:… }`) reaches Rspamd's proxy. */
export function reachesRspamd(milters: string, sockets: string[]): boolean {
  const endpoints = milters
    .replace(/[{}]/g, " ")
    .split(/[\s,]+/)
    .filter((t) => /^(inet|inet6|unix|local):/.test(t));
  return endpoints.some((endpoint) => {
    const [type, ...rest] = endpoint.split(":");
    const where = rest.join(":");
    if (type === "unix" || type === "local")
      return sockets.some((s) => s.startsWith("/") && (s.endsWith(where) || where.endsWith(s)));
    const port = /:(\d+)$/.exec(where)?.[1] ?? /^(\d+)@/.exec(where)?.[1];
    return port !== undefined && sockets.some((s) => new RegExp(`:${port}$`).test(s));
  });
}
