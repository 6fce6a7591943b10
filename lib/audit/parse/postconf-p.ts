import type { Location } from "../types.ts";
import { clip, type ParseProblem } from "./main-cf.ts";

export type ServiceOverride = { service: string; type: string; name: string; value: string; loc: Location };
export type PostconfP = { overrides: ServiceOverride[]; problems: ParseProblem[] };

// `127.0.0.1:10026/inet/content_filter =` — postconf -P prints service/type/parameter = value; the
// service name may hold "/" only in unix socket paths, so the last two slashes split it.
const LINE = /^(.+)\/([a-z-]+)\/([A-Za-z0-9_.-]+)\s*=\s*(.*?)\s*$/;

/** Parses the output of `postconf -P` (one master.cf `-o` override per line). */
export function parsePostconfP(text: string, file: string): PostconfP {
  const overrides: ServiceOverride[] = [];
  const problems: ParseProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const match = LINE.exec(trimmed);
    if (!match) {
      problems.push({ line: index + 1, reason: `not a "service/type/name = value" line: ${clip(trimmed)}` });
      return;
    }
    overrides.push({
      service: match[1] ?? "",
      type: match[2] ?? "",
      name: match[3] ?? "",
      value: match[4] ?? "",
      loc: { file, line: index + 1, endLine: index + 1 },
    });
  });
  return { overrides, problems };
}
