import { formatInstant } from "./format";

describe("formatInstant", () => {
  it("shows an instant of the API as a French date and time, in Paris time (summer time too)", () => {
    expect(formatInstant("2026-01-10T09:30:00Z")).toBe("10 janvier 2026 à 10:30");
    expect(formatInstant("2026-07-14T20:05:00+00:00")).toBe("14 juillet 2026 à 22:05");
  });

  it("shows a value that is not an instant as it is", () => {
    expect(formatInstant("bientôt")).toBe("bientôt");
  });
});
