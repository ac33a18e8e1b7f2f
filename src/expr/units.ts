/**
 * The units mqrel understands, as scale factors to SI base units and dimension exponents.
 *
 * Times are held in seconds internally. A *plain* number given where a time is expected
 * means hours, and where a rate is expected means per hour (docs/design.md §2); a number with
 * a unit means what the unit says. mathjs alone reads `min` as the function min() and
 * knows no `d` or `yr`, so the table is ours. A year is 365.25 days (the Julian year,
 * the usual basis for "downtime per year").
 */

/** Exponents of the base dimensions: time, mass, length, information. */
export interface Dimension {
  readonly time: number;
  readonly mass: number;
  readonly length: number;
  readonly data: number;
}

export const DIMENSIONLESS: Dimension = { time: 0, mass: 0, length: 0, data: 0 };
export const TIME: Dimension = { time: 1, mass: 0, length: 0, data: 0 };
export const RATE: Dimension = { time: -1, mass: 0, length: 0, data: 0 };

export const SECONDS_PER_HOUR = 3600;
export const HOURS_PER_YEAR = 8766; // = 365.25 d × 24 h
export const SECONDS_PER_YEAR = 31_557_600; // = 8766 h × 3600 s

interface UnitDefinition {
  readonly scale: number;
  readonly dimension: Dimension;
}

const time = (seconds: number): UnitDefinition => ({ scale: seconds, dimension: TIME });
const other = (scale: number, dimension: Partial<Dimension>): UnitDefinition => ({
  scale,
  dimension: { ...DIMENSIONLESS, ...dimension },
});

const DAY = 86_400;
const UNITS: ReadonlyMap<string, UnitDefinition> = new Map([
  ...names(["ns", "nanosecond", "nanoseconds"], time(1e-9)),
  ...names(["us", "µs", "microsecond", "microseconds"], time(1e-6)),
  ...names(["ms", "millisecond", "milliseconds"], time(1e-3)),
  ...names(["s", "sec", "secs", "second", "seconds"], time(1)),
  ...names(["min", "mins", "minute", "minutes"], time(60)),
  ...names(["h", "hr", "hrs", "hour", "hours"], time(SECONDS_PER_HOUR)),
  ...names(["d", "day", "days"], time(DAY)),
  ...names(["wk", "week", "weeks"], time(7 * DAY)),
  ...names(["month", "months"], time(SECONDS_PER_YEAR / 12)),
  ...names(["y", "yr", "yrs", "year", "years"], time(SECONDS_PER_YEAR)),
  // Not useful in a reliability model, but known so that "4 kg" or "5 m" get a clear
  // "wrong kind of unit" message instead of "unknown name".
  ...names(["g", "gram", "grams"], other(1e-3, { mass: 1 })),
  ...names(["kg", "kilogram", "kilograms"], other(1, { mass: 1 })),
  ...names(["m", "meter", "meters", "metre", "metres"], other(1, { length: 1 })),
  ...names(["km", "kilometer", "kilometers"], other(1000, { length: 1 })),
  ...names(["cm"], other(0.01, { length: 1 })),
  ...names(["mm"], other(0.001, { length: 1 })),
  ...names(["B", "byte", "bytes"], other(1, { data: 1 })),
  ...names(["KB", "kB"], other(1e3, { data: 1 })),
  ...names(["MB"], other(1e6, { data: 1 })),
  ...names(["GB"], other(1e9, { data: 1 })),
]);

function names(aliases: readonly string[], definition: UnitDefinition): [string, UnitDefinition][] {
  return aliases.map((alias) => [alias, definition]);
}

export function lookupUnit(name: string): UnitDefinition | undefined {
  return UNITS.get(name);
}

export function sameDimension(a: Dimension, b: Dimension): boolean {
  return a.time === b.time && a.mass === b.mass && a.length === b.length && a.data === b.data;
}

export function multiplyDimensions(a: Dimension, b: Dimension, sign = 1): Dimension {
  return {
    time: a.time + sign * b.time,
    mass: a.mass + sign * b.mass,
    length: a.length + sign * b.length,
    data: a.data + sign * b.data,
  };
}

export function scaleDimension(a: Dimension, power: number): Dimension {
  return { time: a.time * power, mass: a.mass * power, length: a.length * power, data: a.data * power };
}

export function isDimensionless(a: Dimension): boolean {
  return sameDimension(a, DIMENSIONLESS);
}

/** "a duration", "a rate (per time)", "a mass", … for error messages. */
export function describeDimension(a: Dimension): string {
  if (isDimensionless(a)) return "a plain number";
  if (sameDimension(a, TIME)) return "a duration";
  if (sameDimension(a, RATE)) return "a rate (per time)";
  if (a.mass !== 0 && a.time === 0 && a.length === 0 && a.data === 0) return "a mass";
  if (a.length !== 0 && a.time === 0 && a.mass === 0 && a.data === 0) return "a length";
  if (a.data !== 0 && a.time === 0 && a.mass === 0 && a.length === 0) return "an amount of data";
  const parts = Object.entries(a)
    .filter(([, power]) => power !== 0)
    .map(([base, power]) => (power === 1 ? base : `${base}^${power}`));
  return `a quantity of dimension ${parts.join("·")}`;
}
