import { notFound } from "next/navigation";

import { isApiError, isNotFoundError } from "./client";

/**
 * Awaits an API call and turns a 404 (`NotFoundError`) into Next's `notFound()`, so the route's
 * not-found page is shown (HTTP 404). A 422 to a GET is one too: a GET sends no body, so the
 * backend refused the URL itself (an id that is not one, e.g. `/campaigns/abc`): there is no such
 * page. Any other error is rethrown.
 *
 *   const item = await orNotFound(apiGet(`/items/${id}`, Item));
 */
export async function orNotFound<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (isNotFoundError(error) || (isApiError(error) && error.status === 422 && error.method === "GET")) {
      notFound();
    }
    throw error;
  }
}
