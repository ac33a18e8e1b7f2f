/**
 * Numbers in messages: a computed value with about 6 significant digits, not a double's 17
 * (`-0.000002`, not `-0.000001999999999946489`), but never rounded across a line the
 * message draws — a whole number it is not (a probability of 1.0000001 must not read
 * "1"), or a bound it is checked against (a rate of 9.9999999e-7 under "at least 1e-6"
 * must not read "1e-6"): more digits are shown until the text falls on the same side.
 *
 * Imports nothing of mqrel's.
 */

/** The significant digits a message shows when nothing forces more. */
export const MESSAGE_DIGITS = 6;

/**
 * `value` for a message: {@link MESSAGE_DIGITS} significant digits, more when fewer would
 * round it onto a whole number or onto (or across) one of `bounds`; `-0` stays `-0`;
 * exponents without `+` (`1e12`); non-finite values as JavaScript writes them.
 */
export function messageNumber(value: number, bounds: readonly number[] = []): string {
  if (!Number.isFinite(value)) return String(value);
  if (Object.is(value, -0)) return "-0";
  let precision = MESSAGE_DIGITS;
  while (precision < 17 && crosses(value, Number(value.toPrecision(precision)), bounds)) precision++;
  return String(Number(value.toPrecision(precision))).replace("e+", "e");
}

/** Does the rounded value read as a whole number the value is not, or sit on another side of a bound? */
function crosses(value: number, rounded: number, bounds: readonly number[]): boolean {
  if (!Number.isInteger(value) && Number.isInteger(rounded)) return true;
  return bounds.some((bound) => Math.sign(value - bound) !== Math.sign(rounded - bound));
}
