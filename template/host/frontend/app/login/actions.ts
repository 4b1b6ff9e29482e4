"use server";
/**
 * Development sign-in: asks the backend's local route for a token for the tenant and user typed
 * in `/login`, keeps it in the `vectra_access_token` cookie (httpOnly) and goes to `/`.
 * Signing out drops that cookie and goes back to `/login`.
 *
 * The backend has that route only when `VECTRA_ENVIRONMENT=local` (`make dev`); anywhere else it
 * answers 404 and the page says so. In production the token comes from the team's identity provider.
 */
import { cookies } from "next/headers";
import { redirect } from "next/navigation";

import { ACCESS_TOKEN_COOKIE } from "@/lib/api/auth";
import { apiPost } from "@/lib/api/client";

import {
  LOCAL_SIGN_IN_PATH,
  LocalToken,
  loginWithError,
  MAX_TENANT_LENGTH,
  SignInForm,
  signInErrorMessage,
} from "./sign-in";

export async function signIn(formData: FormData): Promise<void> {
  const form = SignInForm.safeParse({ tenant: formData.get("tenant"), user: formData.get("user") });
  if (!form.success) {
    redirect(loginWithError(`Renseignez le tenant (${MAX_TENANT_LENGTH} caractères au plus) et l'utilisateur.`));
  }
  let token: LocalToken;
  try {
    token = await apiPost(
      LOCAL_SIGN_IN_PATH,
      LocalToken,
      { tenant_id: form.data.tenant, subject: form.data.user },
      { cache: "no-store" },
    );
  } catch (error) {
    redirect(loginWithError(signInErrorMessage(error)));
  }
  const store = await cookies();
  store.set(ACCESS_TOKEN_COOKIE, token.access_token, {
    httpOnly: true,
    sameSite: "lax",
    secure: process.env.NODE_ENV === "production",
    path: "/",
    maxAge: token.expires_in,
  });
  redirect("/");
}

export async function signOut(): Promise<void> {
  const store = await cookies();
  store.delete(ACCESS_TOKEN_COOKIE);
  redirect("/login");
}
