/**
 * One input of a form that writes to the backend (lib/forms.ts `FormField`), with its label and,
 * under it, its error: tied to the input by `aria-describedby`, so a screen reader says it too.
 */
import { type FormField, inputValue } from "@/lib/forms";
import { cssVar } from "@/styles/tokens";

const styles = {
  field: { display: "grid", gap: cssVar("space", "xs") },
  label: { fontWeight: 600 },
  input: {
    padding: cssVar("space", "sm"),
    border: `1px solid ${cssVar("color", "border")}`,
    borderRadius: cssVar("radius", "sm"),
    fontSize: cssVar("fontSize", "md"),
  },
  // A grid item stretches: the box alone would sit in the middle of the form's width.
  checkbox: { justifySelf: "start", width: "1.25rem", height: "1.25rem", margin: 0 },
  error: { margin: 0, color: cssVar("color", "danger"), fontSize: cssVar("fontSize", "sm") },
} as const;

const TYPES = { number: "number", date: "date", datetime: "datetime-local" } as const;

export interface FieldInputProps {
  field: FormField;
  /** The API's value the input starts with. */
  value?: unknown;
  error?: string | undefined;
}

export function FieldInput({ field, value, error }: FieldInputProps) {
  const id = `field-${field.name}`;
  const errorId = `${id}-error`;
  const common = {
    id,
    name: field.name,
    style: styles.input,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? errorId : undefined,
  };
  const shown = inputValue(field, value);
  let input;
  if (field.input === "checkbox") {
    input = <input type="checkbox" defaultChecked={value === true} {...common} style={styles.checkbox} />;
  } else if (field.input === "textarea" || field.input === "json") {
    input = <textarea rows={4} defaultValue={shown} {...common} />;
  } else if (field.input === "select") {
    input = (
      <select defaultValue={shown} {...common}>
        <option value="">—</option>
        {(field.choices ?? []).map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    );
  } else {
    const type = field.input === "text" ? "text" : TYPES[field.input];
    input = <input type={type} step={type === "number" ? "any" : undefined} defaultValue={shown} {...common} />;
  }
  return (
    <div style={styles.field}>
      <label htmlFor={id} style={styles.label}>
        {field.label}
      </label>
      {input}
      {error ? (
        <p id={errorId} style={styles.error}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
