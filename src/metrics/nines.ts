/** Availability shown as people read it: nines and downtime per year. */
import { HOURS_PER_YEAR } from "../expr/units.js";

/** −log10(unavailability); Infinity when the unavailability is 0. */
export function nines(unavailability: number): number {
  return unavailability > 0 ? -Math.log10(unavailability) : Number.POSITIVE_INFINITY;
}

/** Downtime per year (365.25 days) in hours for a given unavailability. */
export function downtimeHoursPerYear(unavailability: number): number {
  return unavailability * HOURS_PER_YEAR;
}
