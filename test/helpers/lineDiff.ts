/**
 * A readable line diff for golden-file mismatches: the longest common subsequence of the
 * lines, printed as "-" (expected) and "+" (actual) lines with a little context, in hunks
 * headed by their line numbers. Golden files are a few hundred lines: O(n·m) is fine.
 */
export function lineDiff(expected: string, actual: string, context = 2, maxLines = 80): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  // lcs[i][j]: length of the LCS of a[i..] and b[j..]
  const lcs = Array.from({ length: a.length + 1 }, () => new Int32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    const row = lcs[i] as Int32Array;
    const below = lcs[i + 1] as Int32Array;
    for (let j = b.length - 1; j >= 0; j--) {
      row[j] = a[i] === b[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
    }
  }
  type Op = { kind: " " | "-" | "+"; text: string; lineA: number; lineB: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: " ", text: a[i] as string, lineA: i++, lineB: j++ });
    } else if (i < a.length && (j === b.length || ((lcs[i + 1] as Int32Array)[j] as number) >= ((lcs[i] as Int32Array)[j + 1] as number))) {
      ops.push({ kind: "-", text: a[i] as string, lineA: i++, lineB: j });
    } else {
      ops.push({ kind: "+", text: b[j] as string, lineA: i, lineB: j++ });
    }
  }
  const keep = ops.map(() => false);
  ops.forEach((op, k) => {
    if (op.kind === " ") return;
    for (let c = Math.max(0, k - context); c <= Math.min(ops.length - 1, k + context); c++) keep[c] = true;
  });
  const out: string[] = ["- expected (committed)", "+ actual (now)"];
  let previous = -2;
  ops.forEach((op, k) => {
    if (!keep[k]) return;
    if (k !== previous + 1) out.push(`@@ expected line ${op.lineA + 1}, actual line ${op.lineB + 1} @@`);
    out.push(`${op.kind} ${op.text}`);
    previous = k;
  });
  if (out.length > maxLines) return [...out.slice(0, maxLines), `… ${out.length - maxLines} more diff lines`].join("\n");
  return out.join("\n");
}
