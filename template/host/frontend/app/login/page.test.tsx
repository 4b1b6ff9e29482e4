import { screen } from "@testing-library/react";

import { pageProps, renderPage } from "@/testing/render";

import LoginPage from "./page";

describe("LoginPage", () => {
  it("asks for a tenant and a user, in French", async () => {
    await renderPage(LoginPage, pageProps());

    expect(screen.getByRole("heading", { level: 1, name: "Se connecter" })).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Tenant" })).toBeRequired();
    expect(screen.getByRole("textbox", { name: "Utilisateur" })).toHaveValue("dev");
    expect(screen.getByRole("button", { name: "Se connecter" })).toHaveAttribute("type", "submit");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows the message of a failed sign-in", async () => {
    await renderPage(LoginPage, pageProps({ searchParams: { erreur: "Connexion refusée" } }));

    expect(screen.getByRole("alert")).toHaveTextContent("Connexion refusée");
  });
});
