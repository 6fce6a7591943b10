// One definition per kind of finding (lib/detect/kinds.ts), and comments that cite only files of
// this repository.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { projectRoot } from "../lib/core/paths.ts";
import { DEFINITIONS, FINDING_DEFINITIONS, kindTitle } from "../lib/detect/kinds.ts";
import { FINDING_KINDS } from "../lib/detect/types.ts";

const ROOT = projectRoot();

describe("finding definitions", () => {
  test("every kind has one definition, under its own id, with a detector and a title of its own", () => {
    assert.deepEqual(Object.keys(FINDING_DEFINITIONS).sort(), [...FINDING_KINDS].sort());
    for (const kind of FINDING_KINDS) {
      const definition = FINDING_DEFINITIONS[kind];
      assert.equal(definition.kind, kind);
      assert.ok(definition.title.length > 5, kind);
      assert.ok(Object.values(definition.detect).some(Boolean), `${kind} has a detector`);
    }
    const titles = DEFINITIONS.map((d) => d.title);
    assert.equal(new Set(titles).size, titles.length, "titles are distinct");
    assert.equal(kindTitle("no-such-kind"), "no-such-kind");
  });

  test("no other file names the kinds' titles: the CLI, dashboard and report read them from the definitions", () => {
    const titles = DEFINITIONS.map((d) => d.title);
    const offenders: string[] = [];
    for (const file of sourceFiles(["lib", "app", "components"])) {
      if (file.startsWith(path.join("lib", "detect"))) continue;
      const text = readFileSync(path.join(ROOT, file), "utf8");
      for (const title of titles) if (text.includes(`"${title}"`)) offenders.push(`${file}: ${title}`);
    }
    assert.deepEqual(offenders, []);
  });
});

describe("comments cite files of this repository", () => {
  // A path in a comment: lib/…, tests/…, docs/…, prisma/…, or an absolute path of a development machine.
  const CITED =
    /(?:^|[\s(`'"])((?:lib|app|components|tests|prisma|docs|public)\/[\w./@-]*\w|\/(?:work|home|Users)\/[\w./-]+)/g;

  test("every path a comment names exists in the checkout", () => {
    const missing: string[] = [];
    for (const file of sourceFiles(["lib", "app", "components", "tests", "prisma"])) {
      const lines = readFileSync(path.join(ROOT, file), "utf8").split("\n");
      lines.forEach((line, index) => {
        const comment = /^\s*(?:\/\/|\/?\*)(.*)$/.exec(line)?.[1];
        if (comment === undefined) return;
        for (const match of comment.matchAll(CITED)) {
          const cited = (match[1] as string).replace(/[.,:;]+$/, "");
          if (cited.startsWith("/") || !exists(cited)) missing.push(`${file}:${index + 1}: ${cited}`);
        }
      });
    }
    assert.deepEqual(missing, []);
  });
});

function exists(cited: string): boolean {
  // Generated at run time (gitignored).
  if (cited.startsWith("tests/.artifacts")) return true;
  const full = path.join(ROOT, cited);
  if (existsSync(full)) return true;
  const dir = path.dirname(full);
  if (!existsSync(dir)) return false;
  // A placeholder (tests/bench/NAME.ts, lib/parsers/postfix/<daemon>.ts) or a family of files (real-lines/postfix*).
  const base = path.basename(cited);
  return /[<>*]|\b[A-Z]{3,}\b/.test(base) || readdirSync(dir).some((name) => name.startsWith(base));
}

function sourceFiles(roots: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      if (
        ["node_modules", ".artifacts", "fixtures", "generated", "migrations", "demo", "genlog"].includes(
          entry.name,
        )
      )
        continue;
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (/\.(ts|tsx|mjs)$/.test(entry.name)) out.push(rel);
    }
  };
  for (const root of roots) walk(root);
  return out;
}
