/**
 * How pages show the API's values to a person, in French. An instant shows in VECTRA's time zone:
 * server components render it on the server, whose own zone (often UTC) is nobody's.
 */
export const TIME_ZONE = "Europe/Paris";

const instantFormat = new Intl.DateTimeFormat("fr-FR", {
  dateStyle: "long",
  timeStyle: "short",
  timeZone: TIME_ZONE,
});

/** An instant of the API (ISO 8601, with its offset) as a date and time: "10 janvier 2026 à 10:30". */
export function formatInstant(value: string): string {
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : instantFormat.format(at);
}
