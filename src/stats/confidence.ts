/**
 * The confidence of every interval mqrel prints: 95 % — two-sided for the simulation's
 * t and Wilson intervals, one-sided for the rule of three's bound when nothing was seen.
 */
export const CONFIDENCE = 0.95;

/**
 * The two-sided 95 % normal quantile z = Φ⁻¹(0.975) = 1.959963984540054 (Abramowitz &
 * Stegun, Handbook of Mathematical Functions, 1964, table 26.5), written out where a
 * closed form wants it (the events an interval of ±ε needs); normalQuantile((1 +
 * CONFIDENCE) / 2) gives the same value.
 */
export const Z_95 = 1.959963984540054;
