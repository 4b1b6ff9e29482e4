import { screen } from "@testing-library/react";

import { renderPage } from "@/testing/render";

import HomePage from "./page";

describe("HomePage", () => {
  it("renders the VECTRA heading inside the main landmark", async () => {
    await renderPage(HomePage, {});

    const main = screen.getByRole("main");
    expect(main).toContainElement(screen.getByRole("heading", { level: 1, name: "VECTRA" }));
    expect(main).toHaveTextContent("La plateforme B2B multi-tenant.");
  });

  it("uses the design tokens, not raw values", async () => {
    await renderPage(HomePage, {});

    expect(screen.getByRole("heading", { level: 1 }).style.fontSize).toBe("var(--font-size-display)");
  });
});
