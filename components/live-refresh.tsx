"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

const PAUSED_KEY = "spamtrail.refresh-paused";

/**
 * While `spamtrail follow` runs, the page re-renders its server data every `everyMs` (no full
 * reload: what is typed and opened stays); a button pauses it, remembered for the browser tab.
 */
export function LiveRefresh({ everyMs }: { everyMs: number }) {
  const router = useRouter();
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    setPaused(sessionStorage.getItem(PAUSED_KEY) === "1");
  }, []);
  useEffect(() => {
    if (paused) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, everyMs);
    return () => clearInterval(timer);
  }, [paused, everyMs, router]);
  const toggle = () => {
    sessionStorage.setItem(PAUSED_KEY, paused ? "0" : "1");
    setPaused(!paused);
  };
  return (
    <span className="inline-flex items-center gap-2">
      <span aria-live="polite">
        {paused ? "auto-refresh paused" : `refreshes every ${Math.round(everyMs / 1000)} s`}
      </span>
      <button type="button" className="btn px-2 py-0.5 text-xs" onClick={toggle} aria-pressed={paused}>
        {paused ? "Resume" : "Pause"}
      </button>
    </span>
  );
}
