"use client";

import { useActionState } from "react";

export type LoginFormState = { error: string | null; username: string };

/** The sign-in form; works without JavaScript too (a plain form post). */
export function LoginForm({
  action,
  csrf,
  next,
}: {
  action: (state: LoginFormState, form: FormData) => Promise<LoginFormState>;
  csrf: string;
  next: string;
}) {
  const [state, formAction, pending] = useActionState(action, { error: null, username: "" });
  return (
    <form
      action={formAction}
      className="space-y-4"
      aria-describedby={state.error ? "login-error" : undefined}
    >
      <input type="hidden" name="csrf" value={csrf} />
      <input type="hidden" name="next" value={next} />
      {state.error ? (
        <p
          id="login-error"
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {state.error}
        </p>
      ) : null}
      <div className="flex flex-col gap-1">
        <label htmlFor="username">User name</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          required
          defaultValue={state.username || "admin"}
          autoCapitalize="none"
          spellCheck={false}
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      <button type="submit" className="btn btn-primary w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
