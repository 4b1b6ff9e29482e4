/**
 * The workflow board's data, as the backend sends it (backend/app/workflow/board.py):
 * `GET /workflow/units` → `Board`, `GET /workflow/logs/<kind>/<name>` → `LogPage`.
 */
import { z } from "zod";

export const TestsState = z.enum(["pass", "fail", "none", "unknown"]);
export type TestsState = z.infer<typeof TestsState>;

export const UnitRow = z.object({
  key: z.string(),
  kind: z.string(),
  label: z.string(),
  name: z.string(),
  status: z.string(),
  priority: z.string().nullable(),
  date: z.string().nullable(),
  objective: z.string().nullable(),
  coverage: z.string().nullable(),
  coverage_target: z.string().nullable(),
  below_target: z.boolean(),
  tests: TestsState,
  issue: z.string().nullable(),
  pr: z.string().nullable(),
  log_path: z.string().nullable(),
  sources: z.array(z.string()),
  problems: z.array(z.string()),
});
export type UnitRow = z.infer<typeof UnitRow>;

export const Board = z.object({
  units: z.array(UnitRow),
  counts: z.record(z.string(), z.number().int().nonnegative()),
  statuses: z.array(z.string()),
  priorities: z.array(z.string()),
  kinds: z.record(z.string(), z.string()),
  problems: z.array(z.string()),
});
export type Board = z.infer<typeof Board>;

export const LogPage = z.object({
  key: z.string(),
  kind: z.string(),
  name: z.string(),
  label: z.string(),
  path: z.string(),
  content: z.string(),
  problems: z.array(z.string()),
});
export type LogPage = z.infer<typeof LogPage>;

/** The guide's statuses, in French; any other status is shown as written. */
export const STATUS_LABELS: Record<string, string> = {
  in_progress: "En cours",
  completed: "Terminé",
  blocked: "Bloqué",
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

export const TESTS_LABELS: Record<TestsState, string> = {
  pass: "✅ passent",
  fail: "❌ échouent",
  none: "aucun test",
  unknown: "non vérifié",
};

/** The page of a unit's activity log. */
export function logHref(unit: Pick<UnitRow, "kind" | "name">): string {
  return `/workflow/logs/${encodeURIComponent(unit.kind)}/${encodeURIComponent(unit.name)}`;
}
