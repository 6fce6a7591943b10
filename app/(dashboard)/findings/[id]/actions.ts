"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { MutationRefused, requireMutation } from "@/lib/auth/request";
import { isFindingAction, setFindingStatus } from "@/lib/queries/finding-actions";
import { invalidateReads } from "@/lib/queries/read-cache";

/** Acknowledge / mute / reopen a finding, as the signed-in administrator (CSRF-checked, audited). */
export async function changeFindingStatus(form: FormData): Promise<void> {
  const findingId = Number(form.get("findingId"));
  if (!Number.isInteger(findingId) || findingId <= 0) redirect("/findings");
  let actor: string;
  try {
    actor = (await requireMutation(form)).username;
  } catch (error) {
    if (!(error instanceof MutationRefused)) throw error;
    console.warn(`spamtrail: status change on finding ${findingId} refused: ${error.message}`);
    redirect(`/findings/${findingId}?refused=1`);
  }
  const action = form.get("action");
  const note = form.get("note");
  if (!isFindingAction(action)) redirect(`/findings/${findingId}?refused=1`);
  const changed = await setFindingStatus({
    findingId,
    action,
    actor,
    note: typeof note === "string" ? note : null,
  });
  if (changed) console.log(`spamtrail: ${actor} did ${action} on finding ${findingId}`);
  invalidateReads();
  revalidatePath("/", "layout");
  redirect(`/findings/${findingId}`);
}
