/** The board's filters: read from the page's query (`?status=blocked&kind=api&priority=P0`). */
import type { UnitRow } from "./schema";

export interface BoardFilters {
  status?: string | undefined;
  kind?: string | undefined;
  priority?: string | undefined;
}

export const FILTER_KEYS = ["status", "kind", "priority"] as const;

type Query = Record<string, string | string[] | undefined>;

/** The filters of a query; an empty or repeated value keeps its first non-empty value only. */
export function parseFilters(query: Query): BoardFilters {
  const filters: BoardFilters = {};
  for (const key of FILTER_KEYS) {
    const raw = query[key];
    const value = (Array.isArray(raw) ? raw.find((item) => item.trim() !== "") : raw)?.trim();
    if (value) {
      filters[key] = value;
    }
  }
  return filters;
}

/** The units that match every filter given. */
export function filterUnits(units: readonly UnitRow[], filters: BoardFilters): UnitRow[] {
  return units.filter(
    (unit) =>
      (!filters.status || unit.status === filters.status) &&
      (!filters.kind || unit.kind === filters.kind) &&
      (!filters.priority || unit.priority === filters.priority),
  );
}

/** Units that stand out: blocked, below their coverage target, or with failing tests. */
export function needsAttention(unit: UnitRow): boolean {
  return unit.status === "blocked" || unit.below_target || unit.tests === "fail";
}
