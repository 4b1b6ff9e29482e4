import { filterUnits, needsAttention, parseFilters } from "./filters";
import { sampleUnit } from "./sample";

const api = sampleUnit();
const fix = sampleUnit({ key: "fix/celery", kind: "fix", name: "celery", status: "blocked", priority: "P0" });
const card = sampleUnit({ key: "component/card", kind: "component", name: "card", status: "completed", priority: "P0" });

describe("parseFilters", () => {
  it("keeps the status, kind and priority given, without empty values", () => {
    expect(parseFilters({ status: "blocked", kind: "", priority: ["", "P0"], other: "x" })).toEqual({
      status: "blocked",
      priority: "P0",
    });
    expect(parseFilters({})).toEqual({});
  });
});

describe("filterUnits", () => {
  const units = [api, fix, card];

  it("keeps every unit without filters", () => {
    expect(filterUnits(units, {})).toEqual(units);
  });

  it("keeps the units matching each filter", () => {
    expect(filterUnits(units, { status: "blocked" })).toEqual([fix]);
    expect(filterUnits(units, { kind: "component" })).toEqual([card]);
    expect(filterUnits(units, { priority: "P0" })).toEqual([fix, card]);
    expect(filterUnits(units, { priority: "P0", status: "completed" })).toEqual([card]);
    expect(filterUnits(units, { kind: "api", status: "blocked" })).toEqual([]);
  });
});

describe("needsAttention", () => {
  it("flags blocked units, units below target and failing tests", () => {
    expect(needsAttention(api)).toBe(false);
    expect(needsAttention(fix)).toBe(true);
    expect(needsAttention(sampleUnit({ below_target: true }))).toBe(true);
    expect(needsAttention(sampleUnit({ tests: "fail" }))).toBe(true);
  });
});
