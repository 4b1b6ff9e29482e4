import { render, screen } from "@testing-library/react";

import type { FormField } from "@/lib/forms";

import { FieldInput } from "./FieldInput";

function field(input: FormField["input"], extra: Partial<FormField> = {}): FormField {
  return { name: "value", label: "Valeur", input, nullable: true, ...extra };
}

describe("FieldInput", () => {
  it("gives each kind of value its input, starting with the API's value", () => {
    const cases: [FormField, unknown, string][] = [
      [field("text"), "un", "text"],
      [field("number"), 12, "number"],
      [field("date"), "2026-01-10", "date"],
      [field("datetime"), null, "datetime-local"],
    ];
    for (const [spec, value, type] of cases) {
      const { unmount } = render(<FieldInput field={spec} value={value} />);
      const input = screen.getByLabelText("Valeur");
      expect(input).toHaveAttribute("type", type);
      expect(input).toHaveValue(type === "number" ? 12 : value === null ? "" : String(value));
      unmount();
    }
  });

  it("has a checkbox, a text area (JSON as text) and a select of the choices", () => {
    const { unmount } = render(<FieldInput field={field("checkbox")} value={true} />);
    expect(screen.getByLabelText("Valeur")).toBeChecked();
    expect(screen.getByLabelText("Valeur").style.justifySelf).toBe("start"); // under its label, not mid-form
    unmount();

    const json = render(<FieldInput field={field("json")} value={{ n: 1 }} />);
    expect(screen.getByLabelText("Valeur")).toHaveValue('{"n":1}');
    json.unmount();

    render(<FieldInput field={field("select", { choices: ["new", "won"] })} value="won" />);
    expect(screen.getByLabelText("Valeur")).toHaveValue("won");
    expect(screen.getAllByRole("option").map((option) => option.textContent)).toEqual(["—", "new", "won"]);
  });

  it("shows its error under the input, tied to it", () => {
    render(<FieldInput field={field("text")} error="Trop long" />);

    const input = screen.getByLabelText("Valeur");
    expect(input).toHaveAccessibleDescription("Trop long");
    expect(input).toHaveAttribute("aria-invalid", "true");
  });
});
