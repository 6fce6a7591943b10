// Small helpers the finding definitions write their explanations with.
import type { FindingFacts } from "./definition.ts";

export const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

export const list = (values: readonly string[], max = 4) =>
  values.length <= max
    ? values.join(", ")
    : `${values.slice(0, max).join(", ")} and ${values.length - max} more`;

/** The distinct non-empty string values of one detail field across the evidence. */
export const values = (facts: FindingFacts, field: string) =>
  [
    ...new Set(
      facts.details.map((d) => d[field]).filter((v): v is string => typeof v === "string" && v !== ""),
    ),
  ].sort();

export const anyTrue = (facts: FindingFacts, field: string) => facts.details.some((d) => d[field] === true);

/** The distinct values of one array-valued detail field across the evidence. */
export const arrays = (facts: FindingFacts, field: string) =>
  [...new Set(facts.details.flatMap((d) => (Array.isArray(d[field]) ? (d[field] as string[]) : [])))].sort();

/** The smtpd service as an administrator knows it: syslog_name postfix is master.cf's `smtp inet` on port 25. */
export function describeService(service: string): string {
  if (service === "postfix" || service === "") return "the port-25 smtpd (postfix/smtpd)";
  const name = service.split("/").at(-1) ?? service;
  if (name === "submission") return `the submission smtpd (port 587, ${service}/smtpd)`;
  if (name === "smtps") return `the smtps smtpd (port 465, ${service}/smtpd)`;
  return `${service}/smtpd`;
}

/** First letter upper case. */
export const sentence = (text: string) => `${text[0]?.toUpperCase() ?? ""}${text.slice(1)}`;
