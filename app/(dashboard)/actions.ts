"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { MutationRefused, requireMutation } from "@/lib/auth/request";
import { deleteSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import { getPrisma } from "@/lib/db/prisma";

/** Signs out: the session row is deleted, the cookie cleared (CSRF-checked like every mutation). */
export async function logout(form: FormData): Promise<void> {
  try {
    const session = await requireMutation(form);
    console.log(`spamtrail: ${session.username} signed out`);
  } catch (error) {
    if (!(error instanceof MutationRefused)) throw error;
    console.warn(`spamtrail: sign-out refused: ${error.message}`);
    redirect("/");
  }
  const jar = await cookies();
  await deleteSession(getPrisma(), jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
  redirect("/login");
}
