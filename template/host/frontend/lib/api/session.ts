import { redirect } from "next/navigation";

import { isApiError } from "./client";

/** Where a person signs in (app/login): the backend answered 401, the token is missing or expired. */
export const LOGIN_PATH = "/login";

/**
 * Awaits an API call and sends the person to `LOGIN_PATH` when the backend answers 401; any other
 * error is rethrown. For server code (pages, server actions): Next's `redirect()` throws.
 *
 *   const item = await orSignIn(orNotFound(apiGet(`/items/${id}`, Item, { token })));
 */
export async function orSignIn<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      redirect(LOGIN_PATH);
    }
    throw error;
  }
}
