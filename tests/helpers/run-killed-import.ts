import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../../lib/core/paths.ts";
import { LAB_YEAR } from "./fixtures.ts";

/**
 * Runs tests/helpers/killed-import.ts: an ingest on the write thread into `file` that kills itself
 * (SIGKILL) once `afterBatches` batches are committed.
 */
export function runKilledImport(
  file: string,
  afterBatches: number,
  paths: string[],
): SpawnSyncReturns<string> {
  return spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join("tests", "helpers", "killed-import.ts"),
      file,
      String(LAB_YEAR),
      String(afterBatches),
      ...paths,
    ],
    { cwd: projectRoot(), encoding: "utf8", timeout: 60_000 },
  );
}
