/** Names longer than this get no suggestion (edit distance is O(length²) in time and memory). */
const MAX_SUGGESTED_LENGTH = 100;

/**
 * The closest known name to a misspelt one, for "did you mean" hints, or undefined when
 * nothing is close (edit distance above a third of the name's length, at least 2).
 */
export function closestName(wrong: string, known: Iterable<string>): string | undefined {
  // A name this long is no typo of a field name, and the distance table would be huge.
  if (wrong.length > MAX_SUGGESTED_LENGTH) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(wrong.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(2, Math.ceil(wrong.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** Levenshtein distance, with a transposition of neighbours counted as one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((d[i - 1] as number[])[j] as number, (d[i] as number[])[j - 1] as number) + 1;
      value = Math.min(value, ((d[i - 1] as number[])[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      (d[i] as number[])[j] = value;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
