import { isValidElement, type ReactElement } from "react";

import RootLayout, { metadata } from "./layout";

describe("RootLayout", () => {
  it("renders <html lang=fr> around a body holding the page", () => {
    const page = <p>page</p>;
    const html = RootLayout({ children: page }) as ReactElement<{ lang: string; children: unknown }>;

    expect(html.type).toBe("html");
    expect(html.props.lang).toBe("fr");
    const body = html.props.children;
    expect(isValidElement(body) && body.type).toBe("body");
    expect((body as ReactElement<{ children: unknown }>).props.children).toBe(page);
  });

  it("titles pages after VECTRA", () => {
    expect(metadata.title).toEqual({ default: "VECTRA", template: "%s · VECTRA" });
  });
});
