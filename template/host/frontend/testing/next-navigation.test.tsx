/** Checks the shared next/navigation stand-in that vitest.setup.ts installs for every test. */
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import {
  forbidden,
  notFound,
  permanentRedirect,
  redirect,
  useParams,
  usePathname,
  useRouter,
  useSearchParams,
  useSelectedLayoutSegment,
  unauthorized,
} from "next/navigation";

import { jsonResponse, lastFetch, stubFetch } from "./fetch";
import {
  NextForbiddenError,
  NextNotFoundError,
  NextRedirectError,
  NextUnauthorizedError,
  expectNotFound,
  expectRedirect,
  mockRouter,
  navigationMock,
  setParams,
  setPathname,
  setSearchParams,
} from "./next-navigation";
import { pageProps, renderPage } from "./render";

function Where() {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const params = useParams();
  return (
    <div>
      <p>path {pathname}</p>
      <p>page {search.get("page") ?? "none"}</p>
      <p>tags {search.getAll("tag").join(",") || "none"}</p>
      <p>id {String(params.id ?? "none")}</p>
      <p>segment {useSelectedLayoutSegment() ?? "none"}</p>
      <button type="button" onClick={() => router.push(`${pathname}/next`)}>
        go
      </button>
    </div>
  );
}

describe("next/navigation stand-in", () => {
  it("starts every test at / with nothing set", () => {
    render(<Where />);

    expect(screen.getByText("path /")).toBeInTheDocument();
    expect(screen.getByText("page none")).toBeInTheDocument();
    expect(screen.getByText("id none")).toBeInTheDocument();
    expect(screen.getByText("segment none")).toBeInTheDocument();
  });

  it("returns what the test set and records router calls", async () => {
    setPathname("/items/42");
    setSearchParams({ page: "2", tag: ["a", "b"] });
    setParams({ id: "42" });
    render(<Where />);

    expect(screen.getByText("path /items/42")).toBeInTheDocument();
    expect(screen.getByText("page 2")).toBeInTheDocument();
    expect(screen.getByText("tags a,b")).toBeInTheDocument();
    expect(screen.getByText("id 42")).toBeInTheDocument();
    expect(screen.getByText("segment items")).toBeInTheDocument();

    await userEvent.setup().click(screen.getByRole("button", { name: "go" }));
    expect(mockRouter.push).toHaveBeenCalledExactlyOnceWith("/items/42/next");
  });

  it("was reset after the previous test", () => {
    expect(mockRouter.push).not.toHaveBeenCalled();
    expect(usePathname()).toBe("/");
    setSearchParams("q=x&q=y");
    expect(useSearchParams().getAll("q")).toEqual(["x", "y"]);
  });

  it("lets one test override a hook, and restores it afterwards", () => {
    vi.mocked(navigationMock.usePathname).mockReturnValue("/override");
    expect(usePathname()).toBe("/override");
  });

  it("is back to the default implementation after an override", () => {
    expect(usePathname()).toBe("/");
  });

  it("throws recognisable errors from notFound and redirect", async () => {
    expect(() => notFound()).toThrow(NextNotFoundError);
    await expectNotFound(() => notFound());

    const error = await expectRedirect(() => redirect("/login"), "/login");
    expect(error.permanent).toBe(false);
    expect(error.digest).toBe("NEXT_REDIRECT;replace;/login;307;");
    await expect(expectRedirect(() => permanentRedirect("/new"), "/new")).resolves.toBeInstanceOf(NextRedirectError);
  });

  it("throws Next's HTTP fallback errors from notFound, forbidden and unauthorized", () => {
    const thrown = [notFound, forbidden, unauthorized].map((call) => {
      try {
        call();
      } catch (error) {
        return error;
      }
      return undefined;
    });
    expect(thrown[0]).toBeInstanceOf(NextNotFoundError);
    expect(thrown[1]).toBeInstanceOf(NextForbiddenError);
    expect(thrown[2]).toBeInstanceOf(NextUnauthorizedError);
    expect(thrown.map((error) => [(error as Error).name, (error as Error).message, (error as { digest: string }).digest])).toEqual([
      ["NextNotFoundError", "notFound() was called", "NEXT_HTTP_ERROR_FALLBACK;404"],
      ["NextForbiddenError", "forbidden() was called", "NEXT_HTTP_ERROR_FALLBACK;403"],
      ["NextUnauthorizedError", "unauthorized() was called", "NEXT_HTTP_ERROR_FALLBACK;401"],
    ]);
  });

  it("fails expectNotFound when the page renders instead", async () => {
    await expect(expectNotFound(() => "rendered")).rejects.toThrow();
  });
});

describe("renderPage / pageProps", () => {
  async function ItemPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
    const { id } = await params;
    const { tab } = await searchParams;
    if (id === "missing") {
      notFound();
    }
    return (
      <h1>
        Item {id} ({String(tab ?? "overview")})
      </h1>
    );
  }

  it("awaits an async page and renders it", async () => {
    await renderPage(ItemPage, pageProps({ params: { id: "42" }, searchParams: { tab: "history" } }));

    expect(screen.getByRole("heading", { name: "Item 42 (history)" })).toBeInTheDocument();
  });

  it("surfaces notFound() from a page", async () => {
    await expectNotFound(() => ItemPage(pageProps({ params: { id: "missing" } })));
  });
});

describe("fetch stubs", () => {
  it("answers in order and fails past the end", async () => {
    const fetchMock = stubFetch([jsonResponse({ n: 1 })]);

    await expect((await fetch("http://x/a")).json()).resolves.toEqual({ n: 1 });
    await expect(fetch("http://x/b", { method: "POST" })).rejects.toThrow("unexpected fetch #2: POST http://x/b");
    expect(lastFetch(fetchMock).url).toBe("http://x/b");
  });

  it("answers one response to every call and a handler per call", async () => {
    stubFetch(jsonResponse({ same: true }));
    await expect((await fetch("http://x/1")).json()).resolves.toEqual({ same: true });
    await expect((await fetch("http://x/2")).json()).resolves.toEqual({ same: true });

    stubFetch((url) => jsonResponse({ url }));
    await expect((await fetch("http://x/3")).json()).resolves.toEqual({ url: "http://x/3" });
  });
});
