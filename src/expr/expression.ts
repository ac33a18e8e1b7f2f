/**
 * Sandboxed, unit-aware evaluation of the expressions users write in model files and
 * in `--param name=value`.
 *
 * mathjs (the number-only build, parser only) turns the text into a syntax tree; the
 * tree is then checked against an allow-list and evaluated here, never by mathjs:
 *
 * - node kinds: numbers, names, operators + − * / ^ (and unary ±, implicit
 *   multiplication "4 h", percent "99.9%"), parentheses, calls of allow-listed math
 *   functions. Everything else (assignment, function definition, property access
 *   `a.b`, indexing, matrices, objects, strings, conditionals, blocks) is refused;
 * - names: the caller's parameters, then units (src/expr/units.ts), then `pi`;
 * - functions: pure math only. `import`, `createUnit`, `evaluate`, `parse`,
 *   `simplify`, `derivative` and the rest of mathjs are not reachable at all, and
 *   calling them gives a "disabled" error;
 * - length is capped at {@link MAX_EXPRESSION_LENGTH} characters;
 * - the result must be finite.
 *
 * Values carry a dimension (time, rate, …), so "4 kg" where a duration is expected is
 * an error rather than a silent 4 hours.
 */
import { create, type FactoryFunctionMap, parseDependencies } from "mathjs/number";
import { decimalLiteral } from "./decimal.js";
import {
  DIMENSIONLESS,
  type Dimension,
  describeDimension,
  isDimensionless,
  lookupUnit,
  multiplyDimensions,
  sameDimension,
  scaleDimension,
} from "./units.js";

export const MAX_EXPRESSION_LENGTH = 1000;

/** A value with its dimension, in SI base units (seconds for time). */
export interface Quantity {
  readonly value: number;
  readonly dimension: Dimension;
  /** 1 − value, exact, when the expression was a bare decimal literal (see decimal.ts) */
  readonly exactComplement?: number;
  /** the literal as typed ("150%", "1e-310"), when the expression was a bare decimal literal, for messages */
  readonly literal?: string;
}

/** What went wrong, in words fit for the user; the caller adds the file, line and field. */
export class ExpressionError extends Error {
  override name = "ExpressionError";
}

/** Looks up a name the expression uses (a model parameter); undefined if unknown. */
export type NameResolver = (name: string) => Quantity | undefined;

const DISABLED_FUNCTIONS: ReadonlySet<string> = new Set([
  "import",
  "createUnit",
  "evaluate",
  "parse",
  "compile",
  "simplify",
  "simplifyConstant",
  "simplifyCore",
  "derivative",
  "rationalize",
  "resolve",
  "reviver",
  "replacer",
  "config",
  "chain",
  "help",
  "typed",
  "print",
  "format",
]);

type MathFunction = (args: Quantity[], text: string) => Quantity;

const dimensionlessFunction =
  (name: string, fn: (...values: number[]) => number, arity: number): MathFunction =>
  (args) => {
    if (args.length !== arity) throw new ExpressionError(`${name}() takes ${arity} argument${arity === 1 ? "" : "s"}, got ${args.length}`);
    for (const arg of args) {
      if (!isDimensionless(arg.dimension)) {
        throw new ExpressionError(`${name}() needs a plain number, got ${describeDimension(arg.dimension)}`);
      }
    }
    return plain(fn(...args.map((arg) => arg.value)));
  };

const extremum =
  (name: string, pick: (...values: number[]) => number): MathFunction =>
  (args) => {
    if (args.length === 0) throw new ExpressionError(`${name}() needs at least one argument`);
    const first = args[0] as Quantity;
    for (const arg of args) {
      if (!sameDimension(arg.dimension, first.dimension)) {
        throw new ExpressionError(
          `${name}() needs arguments of one kind, got ${describeDimension(first.dimension)} and ${describeDimension(arg.dimension)}`,
        );
      }
    }
    return { value: pick(...args.map((arg) => arg.value)), dimension: first.dimension };
  };

const FUNCTIONS: ReadonlyMap<string, MathFunction> = new Map<string, MathFunction>([
  ["min", extremum("min", Math.min)],
  ["max", extremum("max", Math.max)],
  ["exp", dimensionlessFunction("exp", Math.exp, 1)],
  ["expm1", dimensionlessFunction("expm1", Math.expm1, 1)],
  ["log", dimensionlessFunction("log", Math.log, 1)],
  ["log1p", dimensionlessFunction("log1p", Math.log1p, 1)],
  ["log10", dimensionlessFunction("log10", Math.log10, 1)],
  ["log2", dimensionlessFunction("log2", Math.log2, 1)],
  ["floor", dimensionlessFunction("floor", Math.floor, 1)],
  ["ceil", dimensionlessFunction("ceil", Math.ceil, 1)],
  ["round", dimensionlessFunction("round", Math.round, 1)],
  [
    "abs",
    (args) => {
      if (args.length !== 1) throw new ExpressionError(`abs() takes 1 argument, got ${args.length}`);
      const [x] = args as [Quantity];
      return { value: Math.abs(x.value), dimension: x.dimension };
    },
  ],
  [
    "sqrt",
    (args) => {
      if (args.length !== 1) throw new ExpressionError(`sqrt() takes 1 argument, got ${args.length}`);
      return power(args[0] as Quantity, plain(0.5));
    },
  ],
  [
    "pow",
    (args) => {
      if (args.length !== 2) throw new ExpressionError(`pow() takes 2 arguments, got ${args.length}`);
      return power(args[0] as Quantity, args[1] as Quantity);
    },
  ],
]);

const CONSTANTS: ReadonlyMap<string, number> = new Map([["pi", Math.PI]]);

/** Names a model parameter may not take, because expressions already give them a meaning. */
export function isReservedName(name: string): boolean {
  return FUNCTIONS.has(name) || DISABLED_FUNCTIONS.has(name) || CONSTANTS.has(name) || lookupUnit(name) !== undefined;
}

let parser: ((text: string) => MathNode) | undefined;

interface MathNode {
  readonly type: string;
  readonly value?: unknown;
  readonly name?: string;
  readonly op?: string;
  readonly fn?: MathNode | string;
  readonly args?: readonly MathNode[];
  readonly content?: MathNode;
  readonly implicit?: boolean;
}

function parseTree(text: string): MathNode {
  if (parser === undefined) {
    const math = create({ parseDependencies } as Record<string, FactoryFunctionMap>) as unknown as { parse: (text: string) => MathNode };
    parser = (source) => math.parse(source);
  }
  try {
    return parser(text);
  } catch (error) {
    if (error instanceof RangeError) throw new ExpressionError("expression is nested too deeply");
    const message = error instanceof Error ? error.message : String(error);
    throw new ExpressionError(`cannot parse "${text}": ${message}`);
  }
}

/**
 * Evaluate an expression.
 *
 * @param names resolves the names that are not units or functions (model parameters)
 * @throws ExpressionError with a message for the user
 */
export function evaluateExpression(text: string, names: NameResolver = () => undefined): Quantity {
  return compileExpression(text)(names);
}

/**
 * An expression read once and evaluated many times (a cost over a million candidates):
 * the same checks and the same values as {@link evaluateExpression}, the parsing done
 * once. An expression that cannot be read throws here; one whose value is not finite
 * throws when evaluated.
 * @throws ExpressionError with a message for the user
 */
export function compileExpression(text: string): (names: NameResolver) => Quantity {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`expression is ${text.length} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`);
  }
  if (text.trim() === "") throw new ExpressionError("expected a value, got an empty string");
  const literal = decimalLiteral(text);
  if (literal !== undefined) {
    if (!Number.isFinite(literal.value)) throw new ExpressionError(tooLarge(text.trim()));
    const quantity: Quantity = {
      value: literal.value,
      dimension: DIMENSIONLESS,
      exactComplement: literal.complement,
      literal: text.trim(),
    };
    return () => quantity;
  }
  const tree = parseTree(text);
  return (names) => {
    const result = evaluateNode(tree, names);
    if (!Number.isFinite(result.value)) {
      throw new ExpressionError(`"${text}" evaluates to ${result.value}; expected a finite number`);
    }
    return result;
  };
}

/** A literal beyond the double range is an input error, never Infinity. */
export function tooLarge(literal: string): string {
  const shown = literal.length > 40 ? `${literal.slice(0, 40)}…` : literal;
  return `${shown} is too large for a double (the largest is about 1.8e308)`;
}

function plain(value: number): Quantity {
  return { value, dimension: DIMENSIONLESS };
}

function evaluateNode(node: MathNode, names: NameResolver): Quantity {
  switch (node.type) {
    case "ConstantNode":
      if (typeof node.value !== "number") throw new ExpressionError(`expected a number, got the text ${JSON.stringify(node.value)}`);
      if (Number.isNaN(node.value)) throw new ExpressionError("NaN is not allowed; expected a finite number");
      if (!Number.isFinite(node.value)) throw new ExpressionError(tooLarge("a number in the expression"));
      return plain(node.value);
    case "SymbolNode":
      return evaluateName(node.name ?? "", names);
    case "ParenthesisNode":
      return evaluateNode(node.content as MathNode, names);
    case "OperatorNode":
      return evaluateOperator(node, names);
    case "FunctionNode":
      return evaluateCall(node, names);
    default:
      throw new ExpressionError(
        `${describeNode(node)} is not allowed in mqrel expressions (only numbers, units, parameters, + − * / ^ and math functions)`,
      );
  }
}

function describeNode(node: MathNode): string {
  switch (node.type) {
    case "AssignmentNode":
      return "assignment (=)";
    case "FunctionAssignmentNode":
      return "defining a function";
    case "AccessorNode":
      return "property access";
    case "IndexNode":
      return "indexing";
    case "ArrayNode":
      return "a matrix or list";
    case "ObjectNode":
      return "an object";
    case "ConditionalNode":
      return "a conditional (?:)";
    case "BlockNode":
      return "a block of several expressions";
    case "RangeNode":
      return "a range (:)";
    default:
      return `a ${node.type}`;
  }
}

const NOT_FINITE: ReadonlySet<string> = new Set(["NaN", "nan", "Infinity", "infinity", "Inf", "inf"]);

function evaluateName(name: string, names: NameResolver): Quantity {
  if (NOT_FINITE.has(name)) throw new ExpressionError(`${name} is not allowed; expected a finite number`);
  const parameter = names(name);
  if (parameter !== undefined) return parameter;
  const unit = lookupUnit(name);
  if (unit !== undefined) return { value: unit.scale, dimension: unit.dimension };
  const constant = CONSTANTS.get(name);
  if (constant !== undefined) return plain(constant);
  if (FUNCTIONS.has(name) || DISABLED_FUNCTIONS.has(name)) {
    throw new ExpressionError(`${name} is a function; call it with arguments, e.g. ${name}(…)`);
  }
  throw new ExpressionError(`unknown name "${name}" (not a parameter, a unit or a constant)`);
}

function evaluateCall(node: MathNode, names: NameResolver): Quantity {
  const callee = node.fn;
  const name = typeof callee === "object" && callee?.type === "SymbolNode" ? callee.name : undefined;
  if (name === undefined) throw new ExpressionError("only named math functions can be called");
  if (DISABLED_FUNCTIONS.has(name)) {
    throw new ExpressionError(
      `function ${name}() is disabled in mqrel expressions (sandbox: only arithmetic, units, parameters and math functions)`,
    );
  }
  const fn = FUNCTIONS.get(name);
  if (fn === undefined) {
    throw new ExpressionError(`unknown function ${name}(); allowed: ${[...FUNCTIONS.keys()].join(", ")}`);
  }
  const args = (node.args ?? []).map((arg) => evaluateNode(arg, names));
  return fn(args, name);
}

function evaluateOperator(node: MathNode, names: NameResolver): Quantity {
  const args = (node.args ?? []).map((arg) => evaluateNode(arg, names));
  const [left, right] = args as [Quantity, Quantity];
  switch (node.op) {
    case "+":
    case "-": {
      if (args.length === 1) return { value: node.op === "-" ? -left.value : left.value, dimension: left.dimension };
      if (!sameDimension(left.dimension, right.dimension)) {
        throw new ExpressionError(
          `cannot ${node.op === "+" ? "add" : "subtract"} ${describeDimension(right.dimension)} ${node.op === "+" ? "to" : "from"} ${describeDimension(left.dimension)}`,
        );
      }
      return { value: node.op === "+" ? left.value + right.value : left.value - right.value, dimension: left.dimension };
    }
    case "*":
      return { value: left.value * right.value, dimension: multiplyDimensions(left.dimension, right.dimension) };
    case "/":
      return { value: left.value / right.value, dimension: multiplyDimensions(left.dimension, right.dimension, -1) };
    case "^":
      return power(left, right);
    default:
      throw new ExpressionError(`operator ${node.op} is not allowed in mqrel expressions (only + − * / ^ and %)`);
  }
}

function power(base: Quantity, exponent: Quantity): Quantity {
  if (!isDimensionless(exponent.dimension)) {
    throw new ExpressionError(`an exponent must be a plain number, got ${describeDimension(exponent.dimension)}`);
  }
  if (isDimensionless(base.dimension)) return plain(base.value ** exponent.value);
  const scaled = scaleDimension(base.dimension, exponent.value);
  if (!Object.values(scaled).every(Number.isInteger)) {
    throw new ExpressionError(`cannot raise ${describeDimension(base.dimension)} to the power ${exponent.value}`);
  }
  return { value: base.value ** exponent.value, dimension: scaled };
}
