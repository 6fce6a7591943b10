"use client";

import { useState } from "react";

/** Opens (or closes) every step's log lines on the page at once: `details[data-log-lines]`. */
export function ExpandAll() {
  const [open, setOpen] = useState(false);
  const toggle = () => {
    for (const details of document.querySelectorAll<HTMLDetailsElement>("details[data-log-lines]"))
      details.open = !open;
    setOpen(!open);
  };
  return (
    <button type="button" className="btn px-2 py-1 text-xs" onClick={toggle} aria-pressed={open}>
      {open ? "Collapse all log lines" : "Expand all log lines"}
    </button>
  );
}
