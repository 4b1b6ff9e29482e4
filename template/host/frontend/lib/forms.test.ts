import { z } from "zod";

import { ApiError } from "./api/client";
import {
  type FormField,
  NOT_JSON,
  REQUIRED,
  TAKEN,
  TAKEN_SOMEWHERE,
  checkValues,
  inputValue,
  readForm,
  serverErrors,
} from "./forms";

const FIELDS: FormField[] = [
  { name: "title", label: "Titre", input: "text", nullable: false },
  { name: "notes", label: "Notes", input: "textarea", nullable: true },
  { name: "score", label: "Score", input: "number", nullable: false },
  { name: "ratio", label: "Ratio", input: "number", nullable: true },
  { name: "active", label: "Actif", input: "checkbox", nullable: false },
  { name: "seen_at", label: "Vu le", input: "datetime", nullable: true },
  { name: "extra", label: "Extra", input: "json", nullable: true },
  { name: "stage", label: "Étape", input: "select", nullable: false, choices: ["new", "won"] },
];

function formData(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) data.append(key, value);
  return data;
}

function apiError(status: number, body: unknown): ApiError {
  return new ApiError(status, "POST", "http://localhost:8000/api/v1/items", body);
}

describe("readForm", () => {
  it("reads each input as the API's JSON", () => {
    const data = formData({ title: "Un", notes: "", score: "12", ratio: "0.5", active: "on",
      seen_at: "2026-01-10T09:30", extra: '{"n":1}', stage: "won" }); // prettier-ignore

    const { values, errors } = readForm(data, FIELDS);

    expect(errors).toEqual({});
    expect(values).toEqual({ title: "Un", notes: null, score: 12, ratio: 0.5, active: true,
      seen_at: new Date("2026-01-10T09:30").toISOString(), extra: { n: 1 }, stage: "won" }); // prettier-ignore
  });

  it("refuses an empty required value, an empty text too, and sends null for an empty optional one", () => {
    const { values, errors } = readForm(formData({ title: "", score: "", ratio: "", stage: "" }), FIELDS);

    expect(values).toEqual({ notes: null, ratio: null, active: false, seen_at: null, extra: null });
    expect(errors).toEqual({ title: REQUIRED, score: REQUIRED, stage: REQUIRED });
  });

  it("says which value is not JSON", () => {
    const { errors } = readForm(formData({ title: "Un", score: "1", stage: "new", extra: "{nope" }), FIELDS);

    expect(errors).toEqual({ extra: NOT_JSON });
  });
});

describe("inputValue", () => {
  it("shows each API value as its input takes it, and a datetime back as the same instant", () => {
    const [title, , score, , , seenAt, extra] = FIELDS as [FormField, FormField, FormField, FormField, FormField, FormField, FormField];

    expect(inputValue(title, null)).toBe("");
    expect(inputValue(score, 12)).toBe("12");
    expect(inputValue(extra, { n: 1 })).toBe('{"n":1}');
    expect(inputValue(seenAt, "not a date")).toBe("not a date");
    const shown = inputValue(seenAt, "2026-01-10T09:30:00Z");
    expect(shown).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(new Date(shown).toISOString()).toBe("2026-01-10T09:30:00.000Z");
  });
});

describe("checkValues", () => {
  it("gives the first French message of each refused field", () => {
    const schema = z.object({ title: z.string().max(3), score: z.number().int() });

    const checked = checkValues(schema, { title: "trop long", score: 1.5 });

    expect(checked).toEqual({ ok: false, errors: { title: expect.stringContaining("<=3"), score: expect.stringContaining("entier") } });
    expect(checkValues(schema, { title: "ok", score: 2 })).toEqual({ ok: true, data: { title: "ok", score: 2 } });
  });
});

describe("serverErrors", () => {
  it("puts a 422 under the field its loc names, the rest in the message", () => {
    const body = { detail: [
      { loc: ["body", "title"], msg: "String should have at most 3 characters", type: "string_too_long" },
      { loc: ["body"], msg: "cannot be null: title", type: "value_error" },
    ] }; // prettier-ignore

    const result = serverErrors(apiError(422, body), ["title", "score"], []);

    expect(result.errors).toEqual({ title: "Refusé par le serveur : String should have at most 3 characters" });
    expect(result.message).toBe("Refusé par le serveur : cannot be null: title");
  });

  it("puts a 409 under the unique fields, or in the message when there are none", () => {
    expect(serverErrors(apiError(409, { detail: "A unique value is already taken" }), ["title"], ["title"])).toEqual({
      ok: false,
      errors: { title: TAKEN },
    });
    expect(serverErrors(apiError(409, {}), ["title"], []).message).toBe(TAKEN_SOMEWHERE);
  });

  it("says what a 422 without field details is", () => {
    expect(serverErrors(apiError(422, { detail: "Bad" }), ["title"], []).message).toBe("Refusé par le serveur : Bad");
  });

  it("rethrows any other failure", () => {
    const error = apiError(500, { detail: "Boom" });

    expect(() => serverErrors(error, ["title"], [])).toThrow(error);
    expect(() => serverErrors(new Error("network"), ["title"], [])).toThrow("network");
  });
});
