/**
 * Helpers to render app-router pages and layouts under Vitest + Testing Library.
 *
 * A page is a function (often async, a server component) of `{ params, searchParams }`, both
 * promises since Next 15. Call it, await it, render what it returns:
 *
 *   import { renderPage, pageProps } from "@/testing/render";
 *   import ItemPage from "./page";
 *
 *   await renderPage(ItemPage, pageProps({ params: { id: "42" } }));
 *   expect(screen.getByRole("heading", { name: "Item 42" })).toBeInTheDocument();
 */
import { render, type RenderResult } from "@testing-library/react";
import type { ReactNode } from "react";

export type SearchParams = Record<string, string | string[] | undefined>;

export interface PageProps<P extends object = Record<string, never>> {
  params: Promise<P>;
  searchParams: Promise<SearchParams>;
}

/** Builds a page's props from plain values: `pageProps({ params: { id: "42" }, searchParams: { q: "x" } })`. */
export function pageProps<P extends object = Record<string, never>>(
  values: { params?: P; searchParams?: SearchParams } = {},
): PageProps<P> {
  return {
    params: Promise.resolve(values.params ?? ({} as P)),
    searchParams: Promise.resolve(values.searchParams ?? {}),
  };
}

/** Calls a page (sync or async) with `props`, awaits it and renders the result. */
export async function renderPage<Props>(
  page: (props: Props) => ReactNode | Promise<ReactNode>,
  props: Props,
): Promise<RenderResult> {
  return render(await page(props));
}
