"use client";

import { useState } from "react";

/** Puts `text` on the clipboard (with a fallback for pages served over plain HTTP), then says so. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(text);
      else copyWithSelection(text);
      setState("copied");
    } catch {
      setState("failed");
    }
    setTimeout(() => setState("idle"), 1500);
  };
  return (
    <button
      type="button"
      onClick={copy}
      title={label}
      aria-label={label}
      className="ml-1 inline-flex items-center rounded border border-slate-300 px-1 py-0 align-middle font-sans text-[11px] font-normal text-slate-600 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-300 dark:hover:bg-slate-800"
    >
      <span aria-live="polite">
        {state === "copied" ? "copied" : state === "failed" ? "select and copy" : "copy"}
      </span>
    </button>
  );
}

// The Clipboard API needs a secure context; a dashboard behind plain HTTP on the LAN is not one.
function copyWithSelection(text: string): void {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("copy refused");
}
