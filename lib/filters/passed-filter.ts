// Whether a message went through the content filter, whichever way the filter is reached.
import type { JourneyRecord } from "../core/journey.ts";
import { filterPlugin } from "./registry.ts";

/**
 * After-queue filters (DSPAM) show as a delivery handed to the filter; a milter (Rspamd) never
 * receives a delivery, its scan is the proof: a verdict of a milter on the journey.
 */
export function passedFilter(journey: JourneyRecord): boolean {
  return (
    journey.deliveries.some((d) => d.destination === "filter") ||
    journey.verdicts.some((v) => filterPlugin(v.filter)?.reach === "milter")
  );
}
