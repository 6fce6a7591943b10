import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { HOSTILE, HOSTILE_LOGIN, OVERLONG } from "./hostile-lines.ts";
import { BASE_URL, renderLabReport } from "./hostile-report.ts";

const report = await renderLabReport({ hostile: true });
const unlinked = await renderLabReport({ baseUrl: null });

const htmlEscaped = (text: string) =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
/** Without links: a link holds the full value, percent-encoded, so that it still finds the message. */
const withoutLinks = (part: string) =>
  part.replace(/href="[^"]*"/g, 'href=""').replace(/https:\/\/\S+/g, "URL");

describe("log values from strangers in the report", () => {
  test("the hostile lines made it into the report (else the checks below prove nothing)", () => {
    const flat = report.text.replace(/\s+/g, " ");
    for (const value of [HOSTILE.sasl, HOSTILE.from, HOSTILE.messageId, HOSTILE.to, HOSTILE_LOGIN]) {
      assert.ok(flat.includes(value), `text part shows ${value}`);
    }
    assert.ok(flat.includes(`<script>alert("subject")</script>`), "text part shows the subject");
  });

  test("HTML: markup, quotes and ampersands in subjects, addresses, logins and Message-IDs are escaped", () => {
    const html = report.html;
    for (const value of [HOSTILE.sasl, HOSTILE.from, HOSTILE.messageId, HOSTILE.to, HOSTILE_LOGIN]) {
      assert.ok(html.includes(htmlEscaped(value)), `escaped ${value}`);
    }
    assert.ok(html.includes(htmlEscaped(`<script>alert("subject")</script> "><img src=x onerror=alert(3)>`)));
    assert.doesNotMatch(html, /<script|<img|<svg|<iframe|<object|<embed|<style|<link/i);
    assert.doesNotMatch(html, /<[^>]*\son[a-z]+=/i, "no event handler attributes");
    assert.doesNotMatch(html, /<[^>]*\ssrc=/i, "nothing loaded from anywhere");
  });

  test("HTML: every link is a dashboard link, with the value percent-encoded in the path", () => {
    const hrefs = [...report.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? "");
    assert.ok(hrefs.length > 20);
    for (const href of hrefs) assert.ok(href.startsWith(`${BASE_URL}/`), href);
    const encoded = htmlEscaped(`${BASE_URL}/messages/${encodeURIComponent(HOSTILE.messageId)}`);
    assert.ok(report.html.includes(`href="${encoded}"`), "the hostile Message-ID's link");
    assert.ok(
      report.html.includes(`href="${htmlEscaped(`${BASE_URL}/users/${encodeURIComponent(HOSTILE.to)}`)}"`),
    );
  });

  test("both parts: overlong values are cut, control and bidi characters shown as \\uXXXX", () => {
    for (const part of [withoutLinks(report.html), withoutLinks(report.text)]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
      assert.doesNotMatch(part, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
      assert.ok(part.includes("\\u202eevil\\u001b[31m"), "the subject's control characters, visible");
      assert.ok(part.includes(`${"m".repeat(119)}…`), "the overlong Message-ID, cut");
      assert.ok(!part.includes("m".repeat(120)), "never in full");
      assert.ok(!part.includes(OVERLONG.sasl), "the overlong login never in full");
    }
  });

  test("the text part holds no markup of its own, and no escaping of HTML", () => {
    // (the hostile login itself contains the text "&amp;")
    assert.doesNotMatch(
      report.text,
      /&lt;|&gt;|&quot;|&#39;|<\/?(td|tr|table|div|span|p|b)>|<(td|tr|table|div|span|a|p)\s/,
    );
    assert.ok(
      report.html.includes("&amp;#40;1&amp;#41;&#39;&amp;amp;"),
      "entity-like text is escaped, not decoded",
    );
  });

  test("without SPAMTRAIL_BASE_URL the report has no links and says how to get them", () => {
    assert.doesNotMatch(unlinked.html, /<a\s/);
    assert.match(unlinked.html, /Set SPAMTRAIL_BASE_URL to link this report to the dashboard\./);
    assert.doesNotMatch(unlinked.text, /https?:\/\//);
    assert.match(unlinked.text, /Set SPAMTRAIL_BASE_URL to link this report to the dashboard\./);
  });
});
