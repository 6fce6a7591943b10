import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { rotationAge, streamOf } from "../file-kind.ts";
import { fingerprintOf, openFile } from "../open-input.ts";

export type Rotated = { path: string; inode: string; mtimeMs: number; size: number };

/** The rotated copies of a followed file (mail.log.1, mail.log.2.gz, mail.log-20261122), newest first. */
export async function rotatedCopies(file: string): Promise<Rotated[]> {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const names = await readdir(dir).catch(() => [] as string[]);
  const copies: Rotated[] = [];
  for (const name of names) {
    if (name === base || !name.startsWith(base)) continue;
    const full = path.join(dir, name);
    if (streamOf(full) !== file) continue;
    const info = await stat(full).catch(() => undefined);
    if (!info?.isFile()) continue;
    copies.push({ path: full, inode: `${info.dev}:${info.ino}`, mtimeMs: info.mtimeMs, size: info.size });
  }
  return copies.sort((a, b) => rotationAge(a.path) - rotationAge(b.path) || b.mtimeMs - a.mtimeMs);
}

/**
 * Where the rest of a file tail-file left lives now: the renamed file (same inode), or a copy of it
 * (copytruncate; also compressed) recognised by its first line. The newest few copies are looked at.
 */
export async function findRotated(
  file: string,
  left: { inode: string | null; fingerprint: string | undefined },
): Promise<Rotated | undefined> {
  const copies = (await rotatedCopies(file)).slice(0, 4);
  const sameInode = copies.find((copy) => copy.inode === left.inode);
  if (sameInode) return sameInode;
  if (left.fingerprint === undefined) return undefined;
  for (const copy of copies) {
    const head = await openFile(copy.path).then(
      (input) => input.head,
      () => undefined,
    );
    if (head && fingerprintOf(head) === left.fingerprint) return copy;
  }
  return undefined;
}
