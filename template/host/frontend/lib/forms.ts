/**
 * Forms that write to the backend (the create/edit screens of a feature's pages):
 * - `readForm` reads a form's values as the API's JSON (numbers, booleans, null for an empty value),
 *   and refuses an empty value the API cannot take (a required field: no null, no empty name);
 * - `checkValues` checks them with the resource's Zod schema, the one that checks the API's answers;
 * - `serverErrors` turns the backend's 409 (a unique value taken) and 422 (FastAPI's `detail[].loc`)
 *   into a message under the right field.
 * Messages are French: this module sets Zod's French locale.
 */
import { z } from "zod";

import { isApiError } from "./api/client";

z.config(z.locales.fr());

export type InputKind = "text" | "textarea" | "number" | "checkbox" | "date" | "datetime" | "select" | "json";

/** One input of a form: the API field it writes, and how it is typed in. */
export interface FormField {
  name: string;
  label: string;
  input: InputKind;
  /** An empty value is sent as null (else the form refuses it: the field is required). */
  nullable: boolean;
  choices?: readonly string[];
}

/** One message per field name; `form` holds what belongs to no field. */
export type FieldErrors = Partial<Record<string, string>>;

/** What a server action answers a form: plain data, it crosses the network. */
export type FormResult<T> = { ok: true; item: T } | { ok: false; errors: FieldErrors; message?: string };

export const NOT_JSON = "JSON invalide";
export const REQUIRED = "Ce champ est obligatoire.";
export const TAKEN = "Cette valeur est déjà utilisée.";
export const TAKEN_SOMEWHERE = "Une valeur qui doit être unique est déjà utilisée.";
export const REFUSED = "Refusé par le serveur";

function typed(field: FormField, text: string): unknown {
  switch (field.input) {
    case "number":
      return Number.isNaN(Number(text)) ? text : Number(text);
    case "datetime": {
      // datetime-local has no zone: the person's own; the API wants an offset.
      const instant = new Date(text);
      return Number.isNaN(instant.getTime()) ? text : instant.toISOString();
    }
    case "json":
      return JSON.parse(text) as unknown;
    default:
      return text;
  }
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

/** A value of the API as its input shows it (a datetime-local input: minutes, in the person's zone). */
export function inputValue(field: FormField, value: unknown): string {
  if (value === null || value === undefined) {
    return "";
  }
  if (field.input === "json") {
    return JSON.stringify(value);
  }
  if (field.input === "datetime" && typeof value === "string") {
    const at = new Date(value);
    if (!Number.isNaN(at.getTime())) {
      const day = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
      return `${day}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
    }
  }
  return String(value);
}

/**
 * The form's values as the API's JSON, and the values that could not be read: bad JSON, or an empty
 * required field (an empty text too: a row without a name has no title nor link on the list page).
 */
export function readForm(
  data: FormData,
  fields: readonly FormField[],
): { values: Record<string, unknown>; errors: FieldErrors } {
  const values: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const field of fields) {
    if (field.input === "checkbox") {
      values[field.name] = data.has(field.name);
      continue;
    }
    const raw = data.get(field.name);
    const text = typeof raw === "string" ? raw : "";
    if (text === "") {
      if (field.nullable) values[field.name] = null;
      else errors[field.name] = REQUIRED;
      continue;
    }
    try {
      values[field.name] = typed(field, text);
    } catch {
      errors[field.name] = NOT_JSON;
    }
  }
  return { values, errors };
}

/** The first message of each field the schema refuses. */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = typeof issue.path[0] === "string" ? issue.path[0] : "form";
    errors[key] ??= issue.message;
  }
  return errors;
}

/** Checks values with `schema`: the parsed data, or the errors to show. */
export function checkValues<T>(
  schema: z.ZodType<T>,
  values: unknown,
): { ok: true; data: T } | { ok: false; errors: FieldErrors } {
  const parsed = schema.safeParse(values);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, errors: zodFieldErrors(parsed.error) };
}

interface ValidationItem {
  loc?: unknown;
  msg?: unknown;
}

/**
 * The backend's answer to a write, as messages under fields: 422 under the field its `loc` names
 * (what names none goes to `message`), 409 under the unique fields. Any other error is rethrown.
 */
export function serverErrors(
  error: unknown,
  fields: readonly string[],
  unique: readonly string[],
): { ok: false; errors: FieldErrors; message?: string } {
  if (!isApiError(error) || (error.status !== 409 && error.status !== 422)) {
    throw error;
  }
  const errors: FieldErrors = {};
  if (error.status === 409) {
    for (const name of unique) errors[name] = TAKEN;
    return unique.length ? { ok: false, errors } : { ok: false, errors, message: TAKEN_SOMEWHERE };
  }
  const detail = typeof error.body === "object" && error.body !== null && "detail" in error.body ? error.body.detail : undefined;
  const others: string[] = [];
  for (const item of Array.isArray(detail) ? (detail as ValidationItem[]) : []) {
    const loc = Array.isArray(item.loc) ? (item.loc as unknown[]) : [];
    const name = loc.find((part): part is string => typeof part === "string" && fields.includes(part));
    const text = `${REFUSED} : ${typeof item.msg === "string" ? item.msg : "valeur invalide"}`;
    if (name) errors[name] ??= text;
    else others.push(text);
  }
  if (!Array.isArray(detail)) others.push(`${REFUSED} : ${error.detail ?? "valeurs invalides"}`);
  return others.length ? { ok: false, errors, message: others.join(" ; ") } : { ok: false, errors };
}
