import { requireSession } from "@/lib/auth/request";
import { exportMessages } from "@/lib/queries/message-export";
import { parseMessageSearch } from "@/lib/queries/message-params";

/** The search of /messages as CSV or JSON (`format=csv|json`), streamed, at most EXPORT_MAX rows. */
export async function GET(request: Request): Promise<Response> {
  await requireSession();
  const url = new URL(request.url);
  const params = Object.fromEntries(url.searchParams.entries());
  const { filters, view, problems } = parseMessageSearch(params);
  const format = params.format ?? "csv";
  if (format !== "csv" && format !== "json")
    problems.push(`format=${format} is not understood: use csv or json.`);
  if (problems.length > 0)
    return new Response(`${problems.join("\n")}\n`, {
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  return new Response(exportMessages(filters, view.sort, format === "json" ? "json" : "csv"), {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="spamtrail-messages.${format}"`,
      "cache-control": "no-store",
    },
  });
}
