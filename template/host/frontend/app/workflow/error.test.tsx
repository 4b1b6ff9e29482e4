import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import WorkflowError from "./error";

describe("/workflow error", () => {
  it("says the board could not be loaded, with the error's reference, and retries", async () => {
    const user = userEvent.setup();
    const retry = vi.fn();
    const error = Object.assign(new Error("fetch failed"), { digest: "digest-123" });

    render(<WorkflowError error={error} reset={vi.fn()} retry={retry} />);

    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Impossible de charger le suivi du workflow");
    expect(alert).toHaveTextContent("Référence : digest-123.");
    await user.click(screen.getByRole("button", { name: "Réessayer" }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it("has no reference when the error has none", () => {
    render(<WorkflowError error={new Error("Boom")} reset={vi.fn()} retry={vi.fn()} />);

    expect(screen.getByRole("alert")).not.toHaveTextContent("Référence");
  });
});
