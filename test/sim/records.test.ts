import { describe, expect, it } from "vitest";
import { CLUSTER_STATS, IMPORTANCE_RECORD, LEADERSHIP, LEADERSHIP_NODE, RUN_RECORD, recordLayout } from "../../src/sim/kernel/records.js";

/** The slots of a layout other than `size`, in slot order. */
function slots(layout: Record<string, unknown>): number[] {
  return Object.entries(layout)
    .filter(([name, value]) => name !== "size" && typeof value === "number")
    .map(([, value]) => value as number)
    .sort((a, b) => a - b);
}

describe("record layouts", () => {
  it("when a layout is built then its fields take the slots 0..size−1 in the order given, each once", () => {
    const layout = recordLayout(["a", "b", "c"]);
    expect(layout).toEqual({ a: 0, b: 1, c: 2, size: 3 });
    expect(recordLayout(["x", "y"], 5)).toEqual({ x: 5, y: 6, size: 7 });
    expect(Object.isFrozen(layout)).toBe(true);
  });

  it("when a name is given twice or is `size` then the layout is refused", () => {
    expect(() => recordLayout(["a", "b", "a"])).toThrow(/a is given twice/);
    expect(() => recordLayout(["size"])).toThrow(/size is given twice or is reserved/);
  });

  it("when the simulator's records are laid out then every slot below size is used exactly once", () => {
    for (const [name, layout] of Object.entries({ CLUSTER_STATS, RUN_RECORD, IMPORTANCE_RECORD, LEADERSHIP_NODE })) {
      expect(slots(layout), name).toEqual(Array.from({ length: layout.size }, (_, i) => i));
    }
  });

  it("when a run's record is read then its first slots are the cluster statistics, under the same names", () => {
    for (const [name, slot] of Object.entries(CLUSTER_STATS)) {
      if (name !== "size") expect(RUN_RECORD[name as keyof typeof RUN_RECORD], name).toBe(slot);
    }
    expect(RUN_RECORD.lostMeasure).toBe(CLUSTER_STATS.size);
  });

  it("when a leadership record is laid out then the loss's fields come first and each node's four fields follow, node after node", () => {
    const head = [LEADERSHIP.lostAt, LEADERSHIP.electedAt, LEADERSHIP.oldLeader, LEADERSHIP.newLeader, LEADERSHIP.tenureStart];
    const nodes = 3;
    const all = [...head];
    for (let j = 0; j < nodes; j++) for (let f = 0; f < LEADERSHIP_NODE.size; f++) all.push(LEADERSHIP.node(j, f));
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: LEADERSHIP.stride(nodes) }, (_, i) => i));
    expect(LEADERSHIP.node(0, 0)).toBe(LEADERSHIP.NODE);
    expect(LEADERSHIP.node(2, LEADERSHIP_NODE.downAt)).toBe(LEADERSHIP.stride(nodes) - 1);
  });
});
