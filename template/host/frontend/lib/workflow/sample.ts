/** A board as the backend answers it, for tests (every field of `Board` and `UnitRow`). */
import type { Board, UnitRow } from "./schema";

export function sampleUnit(overrides: Partial<UnitRow> = {}): UnitRow {
  return {
    key: "api/campaigns",
    kind: "api",
    label: "API Endpoint",
    name: "campaigns",
    status: "in_progress",
    priority: "P1",
    date: "2026-12-01",
    objective: "Créer l'API des campagnes",
    coverage: null,
    coverage_target: "80%",
    below_target: false,
    tests: "unknown",
    issue: null,
    pr: null,
    log_path: "docs/workflow/logs/api/2026-12-01_api_campaigns.md",
    sources: ["answers", "status", "log"],
    problems: [],
    ...overrides,
  };
}

export function sampleBoard(units: UnitRow[] = [sampleUnit()], problems: string[] = []): Board {
  const counts: Record<string, number> = { in_progress: 0, completed: 0, blocked: 0 };
  for (const unit of units) {
    counts[unit.status] = (counts[unit.status] ?? 0) + 1;
  }
  return {
    units,
    counts,
    statuses: ["in_progress", "completed", "blocked"],
    priorities: ["P0", "P1", "P2"],
    kinds: { api: "API Endpoint", fix: "Fix/Bug", component: "Component" },
    problems,
  };
}
