import { streamOf } from "../file-kind.ts";
import { fingerprintOf, openFile } from "../open-input.ts";
import type { LastRead } from "./follow-store.ts";
import { findRotated, rotatedCopies } from "./rotations.ts";

// A rotated copy written to this long before the last read may still hold lines written after it.
const CLOCK_SLACK_MS = 5_000;

/**
 * The files to read, oldest first, before following `file` again: the file that was being read
 * when Spamtrail stopped, if it was rotated away meanwhile (mail.log.1, or mail.log.1.gz), every
 * rotation after it, then the file itself. Call before anything of the stream is read in this run.
 */
export async function filesToCatchUp(
  lastReadOfStream: (stream: string) => Promise<LastRead | undefined>,
  file: string,
): Promise<{ files: string[]; lastTs: number | null }> {
  const last = await lastReadOfStream(streamOf(file));
  if (!last) return { files: [file], lastTs: null };
  const head = await openFile(file).then(
    (input) => input.head,
    () => undefined,
  );
  if (head && head.indexOf(0x0a) !== -1 && fingerprintOf(head) === last.fingerprint)
    return { files: [file], lastTs: last.lastTs };
  const copies = await rotatedCopies(file);
  const holder = await findRotated(file, { inode: null, fingerprint: last.fingerprint });
  const newer = holder
    ? copies.slice(0, copies.findIndex((copy) => copy.path === holder.path) + 1)
    : // Rotated past the copies looked at: every copy written to since the last read.
      copies.filter((copy) => copy.mtimeMs >= last.readAt - CLOCK_SLACK_MS);
  return { files: [...newer.reverse().map((copy) => copy.path), file], lastTs: last.lastTs };
}
