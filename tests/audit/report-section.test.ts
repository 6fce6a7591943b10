import assert from "node:assert/strict";
import { test } from "node:test";
import { runAudit } from "../../lib/audit/run-audit.ts";
import { configHtml, configText, type ReportConfig } from "../../lib/report/config-section.ts";
import type { RenderContext, ReportData } from "../../lib/report/model.ts";
import { labFiles } from "./configs.ts";

const context = (config: ReportConfig): RenderContext => ({ data: { config } as ReportData, links: null });

test("the weekly report's Configuration audit section: each result with its line and fix, and the week's changes", () => {
  const results = runAudit(labFiles()).results;
  const config: ReportConfig = {
    auditedAt: new Date("2026-11-22T07:00:00Z"),
    results,
    changes: [
      {
        at: new Date("2026-11-20T14:10:00Z"),
        changes: ["127.0.0.1:10026/inet -o receive_override_options: a → a,no_address_mappings"],
        resolved: ["alias-expansion-twice"],
      },
    ],
  };
  const text = configText(context(config));
  assert.match(text, /^Configuration audit\n=+/);
  assert.match(
    text,
    /\[HIGH\] alias-expansion-twice {2}\S*etc\/postfix\/master\.cf:152\n {2}receive_override_options = no_unknown_recipient_checks,no_header_body_checks/,
  );
  assert.match(
    text,
    / {4}-o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_address_mappings/,
  );
  assert.match(
    text.replace(/\s+/g, " "),
    /Changed on 2026-11-20 14:10 UTC: 127\.0\.0\.1:10026\/inet -o receive_override_options: a → a,no_address_mappings\. Since then passing: alias-expansion-twice\./,
  );
  const html = configHtml(context(config)).text;
  assert.match(html, /Configuration audit/);
  assert.ok(html.includes("antispam_dspam_args = --deliver=;--client;--user;%n@example.com"));
  assert.equal(configText(context(null)), "");
  assert.equal(configHtml(context(null)).text, "");
});
