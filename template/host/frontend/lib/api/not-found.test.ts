import { notFound } from "next/navigation";
import { z } from "zod";

import { jsonResponse, stubFetch } from "@/testing/fetch";
import { NextNotFoundError, expectNotFound } from "@/testing/next-navigation";

import { ApiError, apiGet, apiPost } from "./client";
import { orNotFound } from "./not-found";

const Item = z.object({ id: z.string() });

describe("orNotFound", () => {
  it("passes a successful result through", async () => {
    stubFetch(jsonResponse({ id: "1" }));

    await expect(orNotFound(apiGet("/items/1", Item))).resolves.toEqual({ id: "1" });
    expect(notFound).not.toHaveBeenCalled();
  });

  it("turns a 404 into notFound()", async () => {
    stubFetch(jsonResponse({ detail: "Not Found" }, 404));

    await expectNotFound(() => orNotFound(apiGet("/items/missing", Item)));
    expect(notFound).toHaveBeenCalledOnce();
  });

  it("turns a 422 to a GET (the backend refused the URL: no such page) into notFound()", async () => {
    const detail = [{ loc: ["path", "item_id"], msg: "Input should be a valid integer", type: "int_parsing" }];
    stubFetch(jsonResponse({ detail }, 422));

    await expectNotFound(() => orNotFound(apiGet("/items/abc", Item)));
  });

  it("rethrows a 422 to a write: its body was refused, not the page", async () => {
    stubFetch(jsonResponse({ detail: [] }, 422));

    const error: unknown = await orNotFound(apiPost("/items", Item, { id: 1 })).catch((e: unknown) => e);

    expect((error as ApiError).status).toBe(422);
    expect(notFound).not.toHaveBeenCalled();
  });

  it("rethrows any other error unchanged", async () => {
    stubFetch(jsonResponse({ detail: "boom" }, 500));

    const error: unknown = await orNotFound(apiGet("/items/1", Item)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(NextNotFoundError);
    expect((error as ApiError).status).toBe(500);
    expect(notFound).not.toHaveBeenCalled();
  });
});
