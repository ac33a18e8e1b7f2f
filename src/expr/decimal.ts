/**
 * Exact decimal complements of the numbers users type.
 *
 * A user who writes `0.999999999999999` means 1 − 1e-15. The nearest double is
 * 0.99999999999999900080, whose complement is 9.992e-16: 0.08 % off before any
 * formula runs. When a value is a plain decimal literal (optionally a percentage), its
 * complement is computed in exact decimal arithmetic and only then rounded to a double,
 * so 0.999999999999999 has the complement 1e-15 and 99.999% has 1e-5.
 */

// Matched against the trimmed text: no two \s* next to each other, so no backtracking.
const DECIMAL_LITERAL = /^\+?(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?\s*(%?)$/;

/**
 * The exact value and complement (1 − x) of a decimal literal, or undefined if `text` is
 * not one. The value is Infinity when the literal is beyond the double range (1e309).
 */
export function decimalLiteral(text: string): { value: number; complement: number } | undefined {
  const match = DECIMAL_LITERAL.exec(text.trim());
  if (!match) return undefined;
  const [, mantissaText = "", exponentText, percent] = match;
  const [whole = "", fraction = ""] = mantissaText.split(".");
  const exponent = Number(exponentText ?? 0) - fraction.length - (percent ? 2 : 0);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) return undefined;
  const digits = BigInt(`${whole}${fraction}` || "0");
  // x = digits · 10^exponent; 1 − x = (10^(−exponent) − digits) · 10^exponent
  const value = Number(`${digits}e${exponent}`);
  if (exponent >= 0) return { value, complement: 1 - value };
  const one = 10n ** BigInt(-exponent);
  const difference = one - digits;
  const complement = Number(`${difference}e${exponent}`);
  return { value, complement };
}
