/**
 * What the `/login` page and its server action share (a "use server" file exports only actions).
 */
import { z } from "zod";

import { isApiError, isNotFoundError } from "@/lib/api/client";

/** The backend's local sign-in route (under `/api/v1`), mounted only when VECTRA_ENVIRONMENT=local. */
export const LOCAL_SIGN_IN_PATH = "/auth/local-token";
export const LOGIN_PATH = "/login";
/** The query parameter that carries the message of a failed sign-in back to the page. */
export const ERROR_PARAM = "erreur";
export const MAX_TENANT_LENGTH = 64;
export const MAX_USER_LENGTH = 255;

export const SignInForm = z.object({
  tenant: z.string().trim().min(1).max(MAX_TENANT_LENGTH),
  user: z.string().trim().min(1).max(MAX_USER_LENGTH),
});

export const LocalToken = z.object({
  access_token: z.string().min(1),
  token_type: z.literal("bearer"),
  expires_in: z.number().int().positive(),
});

export type LocalToken = z.infer<typeof LocalToken>;

/** `/login` showing `message`. */
export function loginWithError(message: string): string {
  return `${LOGIN_PATH}?${new URLSearchParams({ [ERROR_PARAM]: message }).toString()}`;
}

/** What the person reads when the backend refuses or cannot be reached. */
export function signInErrorMessage(error: unknown): string {
  if (isNotFoundError(error)) {
    return "La connexion locale n'existe que lorsque le backend tourne avec VECTRA_ENVIRONMENT=local (make dev).";
  }
  if (isApiError(error)) {
    return `Connexion refusée (${error.status}) : ${error.detail ?? "sans détail"}`;
  }
  return "Le backend ne répond pas : lancez-le avec make dev (NEXT_PUBLIC_API_URL donne son adresse).";
}
