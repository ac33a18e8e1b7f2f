/**
 * `--minimize "<expression>"`: a cost over the model's fields, written with their dotted
 * paths (`cluster.nodes * 300 + cluster.repair_crews * 2000`) and the model's params.
 *
 * The expression goes through mqrel's sandboxed evaluator (src/expr/expression.ts),
 * never `eval`: mathjs would read `cluster.nodes` as property access, which the sandbox
 * refuses, so each dotted path is first replaced by a placeholder name that the
 * evaluator resolves through a {@link NameResolver}. Units work as in model files
 * (`cluster.node.mttr / 1 h`).
 */
import { InputError } from "../common/errors.js";
import { compileExpression, ExpressionError, type NameResolver, type Quantity } from "../expr/expression.js";
import { DIMENSIONLESS } from "../expr/units.js";
import type { Model, Override } from "../model/index.js";
import type { SourceFile } from "../model/load.js";
import { type Dimensionality, fieldQuantity, fieldText, paramResolver, quantityOf } from "./fields.js";
import type { VariedValue } from "./vary.js";

const DOTTED_PATH = /\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+/g;

/**
 * Values the loader derives from the node count when a field is left out, or given as a
 * quorum word (the cost may still name them): one crew per node (src/model/resolve.ts),
 * and the quorum's words as the field registry defines them. They follow the candidate's
 * node count when `cluster.nodes` is searched.
 */
const DERIVED: Readonly<Record<string, (nodes: number, text: string | undefined) => number | undefined>> = {
  "cluster.repair_crews": (nodes, text) => (text === undefined ? nodes : undefined),
  "cluster.quorum": (nodes, text) => {
    const word = (text ?? "majority").trim();
    return word === "majority" ? Math.floor(nodes / 2) + 1 : word === "any" ? 1 : word === "all" ? nodes : undefined;
  },
};

export type CostFunction = (values: ReadonlyMap<string, { readonly value: VariedValue; readonly kind: Dimensionality }>) => number;

/**
 * Prepare a cost expression. Fields not being searched take their value in the model
 * (after `--set`); the searched ones take the candidate's.
 * @throws InputError when the expression cannot be read
 */
export function compileCost(expression: string, source: SourceFile, overrides: readonly Override[], base: Model): CostFunction {
  const paths: string[] = [];
  const text = expression.replace(DOTTED_PATH, (path) => {
    let index = paths.indexOf(path);
    if (index < 0) index = paths.push(path) - 1;
    return `__mqrel_path_${index}`;
  });
  const params = paramResolver(source, overrides);
  const fixed = new Map<string, Quantity>();
  const fixedValue = (path: string): Quantity => {
    const known = fixed.get(path);
    if (known !== undefined) return known;
    const value = fieldQuantity(source, overrides, path, "--minimize");
    fixed.set(path, value);
    return value;
  };
  /** A field derived from the node count (see {@link DERIVED}), at this candidate's node count. */
  const derivedValue = (path: string, values: Parameters<CostFunction>[0]): Quantity | undefined => {
    const derive = DERIVED[path];
    if (derive === undefined) return undefined;
    const searchedNodes = values.get("cluster.nodes")?.value.value;
    const nodes = typeof searchedNodes === "number" ? searchedNodes : base.cluster.nodes;
    const value = derive(nodes, fieldText(source, overrides, path));
    return value === undefined ? undefined : { value, dimension: DIMENSIONLESS };
  };
  /** an ExpressionError as the user's input error, with the paths put back */
  const costError = (error: unknown): unknown => {
    if (!(error instanceof ExpressionError)) return error;
    const message = error.message.replace(/__mqrel_path_(\d+)/g, (_, i: string) => paths[Number(i)] as string);
    return new InputError(`"${expression}": ${message}`, { path: "--minimize" });
  };
  // parsed on the first candidate (an expression that cannot be read fails there, as before), then reused
  let compiled: ((names: NameResolver) => Quantity) | undefined;
  return (values) => {
    const names: NameResolver = (name) => {
      const match = /^__mqrel_path_(\d+)$/.exec(name);
      if (match === null) return params(name);
      const path = paths[Number(match[1])] as string;
      const searched = values.get(path);
      if (searched === undefined) {
        if (path.startsWith("params.")) {
          const param = params(path.slice("params.".length));
          if (param !== undefined) return param;
        }
        return derivedValue(path, values) ?? fixedValue(path);
      }
      if (typeof searched.value.value !== "number") {
        throw new InputError(`${path} takes the value "${searched.value.value}", which is not a number`, { path: "--minimize" });
      }
      return quantityOf(searched.value.value, searched.kind);
    };
    try {
      compiled ??= compileExpression(text);
      return compiled(names).value;
    } catch (error) {
      throw costError(error);
    }
  };
}
