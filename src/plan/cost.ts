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
import { ExpressionError, evaluateExpression, type NameResolver, type Quantity } from "../expr/expression.js";
import { DIMENSIONLESS } from "../expr/units.js";
import type { Model, Override } from "../model/index.js";
import type { SourceFile } from "../model/load.js";
import { type Dimensionality, fieldQuantity, fieldText, paramResolver, quantityOf } from "./fields.js";
import type { VariedValue } from "./vary.js";

const DOTTED_PATH = /\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+/g;

/** Values the loader derives when a field is left out (the cost may still name them). */
const DERIVED: Readonly<Record<string, (model: Model) => number>> = {
  "cluster.repair_crews": (model) => model.cluster.repairCrews,
  "cluster.quorum": (model) => model.cluster.quorum,
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
    const derived = DERIVED[path];
    const value =
      fieldText(source, overrides, path) === undefined && derived !== undefined
        ? { value: derived(base), dimension: DIMENSIONLESS }
        : fieldQuantity(source, overrides, path, "--minimize");
    fixed.set(path, value);
    return value;
  };
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
        return fixedValue(path);
      }
      if (typeof searched.value.value !== "number") {
        throw new InputError(`${path} takes the value "${searched.value.value}", which is not a number`, { path: "--minimize" });
      }
      return quantityOf(searched.value.value, searched.kind);
    };
    try {
      return evaluateExpression(text, names).value;
    } catch (error) {
      if (error instanceof ExpressionError) {
        const message = error.message.replace(/__mqrel_path_(\d+)/g, (_, i: string) => paths[Number(i)] as string);
        throw new InputError(`"${expression}": ${message}`, { path: "--minimize" });
      }
      throw error;
    }
  };
}
