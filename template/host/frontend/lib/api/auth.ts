/**
 * The caller's access token, for server code (pages, route handlers, server actions) that calls the
 * backend: every generated endpoint wants `Authorization: Bearer <token>` and takes the tenant from it.
 *
 * The token lives in the `vectra_access_token` cookie: set it when the user signs in, from the
 * server (httpOnly, secure, sameSite "lax"), with the backend's access token as its value. A page
 * reads it and passes it to the typed client:
 *
 *   const item = await apiGet(`/items/${id}`, Item, { token: await accessToken(), cache: "no-store" });
 *
 * No cookie: no header, and the backend answers 401 (an `ApiError` that reaches the route's
 * error.tsx). Reading cookies makes the route dynamic, as per-user data must be.
 */
import "server-only";
import { cookies } from "next/headers";

export const ACCESS_TOKEN_COOKIE = "vectra_access_token";

/** The access token of the request being served, or `undefined` when it has none. */
export async function accessToken(): Promise<string | undefined> {
  const store = await cookies();
  const token = store.get(ACCESS_TOKEN_COOKIE)?.value.trim();
  return token ? token : undefined;
}
