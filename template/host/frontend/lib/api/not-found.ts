import { notFound } from "next/navigation";

import { isNotFoundError } from "./client";

/**
 * Awaits an API call and turns a 404 (`NotFoundError`) into Next's `notFound()`, so the route's
 * not-found page is shown; any other error is rethrown.
 *
 *   const item = await orNotFound(apiGet(`/items/${id}`, Item));
 */
export async function orNotFound<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (isNotFoundError(error)) {
      notFound();
    }
    throw error;
  }
}
