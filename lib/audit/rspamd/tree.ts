import type { UclEntry, UclValue } from "../parse/ucl.ts";
import type { Location } from "../types.ts";

/**
 * Rspamd's configuration after includes and merging, each value with the file and line it came
 * from. A key holds one value, or several (UCL's implicit array: `worker "normal" {}` and
 * `worker "controller" {}` are two values of `worker`).
 */
export type Node =
  | { kind: "scalar"; text: string; loc: Location }
  | { kind: "object"; keys: Map<string, Slot>; loc: Location }
  | { kind: "array"; items: Node[]; loc: Location };
export type Slot = { values: Node[]; priority: number };
export type ObjectNode = Extract<Node, { kind: "object" }>;

/** How an included file's keys meet the keys already there (libucl's `duplicate` policy). */
export type Duplicate = "append" | "merge" | "rewrite";
export type Chunk = { file: string; priority: number; duplicate: Duplicate };

export const newObject = (loc: Location): ObjectNode => ({ kind: "object", keys: new Map(), loc });

const locOf = (file: string, line: number, endLine = line): Location => ({ file, line, endLine });

/** A parsed value as a node of the chunk it was read in (objects: their entries inserted in order). */
export function toNode(value: UclValue, chunk: Chunk, onInclude: IncludeHandler): Node {
  const loc = locOf(chunk.file, value.line);
  if (value.kind === "scalar") return { kind: "scalar", text: value.text, loc };
  if (value.kind === "array")
    return { kind: "array", items: value.items.map((v) => toNode(v, chunk, onInclude)), loc };
  const object = newObject(loc);
  insertEntries(object, value.entries, chunk, onInclude);
  return object;
}

export type IncludeHandler = (
  target: ObjectNode,
  include: Extract<UclEntry, { kind: "include" }>,
  from: Chunk,
) => void;

/** Inserts a file's (or a section's) entries into an object, following UCL's priority and duplicate rules. */
export function insertEntries(
  target: ObjectNode,
  entries: UclEntry[],
  chunk: Chunk,
  onInclude: IncludeHandler,
): void {
  for (const entry of entries) {
    if (entry.kind === "include") {
      onInclude(target, entry, chunk);
      continue;
    }
    insertValue(
      target,
      entry.key,
      entry.value,
      chunk,
      onInclude,
      locOf(chunk.file, entry.line, entry.endLine),
    );
  }
}

/**
 * libucl: a key already there with a higher priority keeps its value; a lower one is replaced;
 * at the same priority, `merge` merges objects (and appends to arrays) and `append` makes an
 * implicit array. Keys are compared as written (Rspamd's parser does not fold their case).
 */
function insertValue(
  target: ObjectNode,
  key: string,
  value: UclValue,
  chunk: Chunk,
  onInclude: IncludeHandler,
  loc: Location,
): void {
  const existing = target.keys.get(key);
  const fresh = () => ({ ...toNode(value, chunk, onInclude), loc: { ...loc } });
  if (!existing) {
    target.keys.set(key, { values: [fresh()], priority: chunk.priority });
    return;
  }
  const old = existing.values[0];
  if (chunk.duplicate === "merge" && old && old.kind === "object" && value.kind === "object") {
    insertEntries(old, value.entries, chunk, onInclude);
    return;
  }
  if (chunk.duplicate === "merge" && old && old.kind === "array" && value.kind === "array") {
    old.items.push(...value.items.map((v) => toNode(v, chunk, onInclude)));
    return;
  }
  if (chunk.duplicate === "rewrite" || existing.priority < chunk.priority)
    target.keys.set(key, { values: [fresh()], priority: chunk.priority });
  else if (existing.priority === chunk.priority) existing.values.push(fresh());
}

/** Every value at a path (descending through implicit arrays); `*` matches any key. */
export function lookupAll(root: Node | null, path: string[]): Node[] {
  if (!root) return [];
  let current: Node[] = [root];
  for (const part of path) {
    const next: Node[] = [];
    for (const node of current) {
      if (node.kind !== "object") continue;
      const slots = part === "*" ? [...node.keys.values()] : [node.keys.get(part)];
      for (const slot of slots) if (slot) next.push(...slot.values);
    }
    current = next;
  }
  return current;
}

/** The first value at a path, as Rspamd's ucl_object_lookup sees it. */
export const lookup = (root: Node | null, path: string[]): Node | null => lookupAll(root, path)[0] ?? null;

/** A scalar's text, or an array's items joined (`[a, b]` → "a, b"); null for objects and absence. */
export function textOf(node: Node | null): string | null {
  if (!node) return null;
  if (node.kind === "scalar") return node.text;
  if (node.kind === "array") return node.items.map((i) => textOf(i) ?? "{…}").join(", ");
  return null;
}

/** UCL booleans: true/yes/on and false/no/off (case-insensitive). */
export function booleanOf(node: Node | null): boolean | null {
  if (node?.kind !== "scalar") return null;
  if (/^(true|yes|on)$/i.test(node.text.trim())) return true;
  if (/^(false|no|off)$/i.test(node.text.trim())) return false;
  return null;
}

/** Every leaf as `a.b.c = value` (sorted keys; implicit arrays numbered): for snapshots. */
export function flatten(node: Node, prefix: string, out: Record<string, string>): void {
  if (node.kind === "scalar") out[prefix] = node.text;
  else if (node.kind === "array") out[prefix] = node.items.map((i) => textOf(i) ?? "{…}").join(", ");
  else
    for (const key of [...node.keys.keys()].sort()) {
      const values = node.keys.get(key)?.values ?? [];
      for (const [i, value] of values.entries())
        flatten(value, `${prefix}${prefix ? "." : ""}${key}${values.length > 1 ? `[${i}]` : ""}`, out);
    }
}
