/** Reading a JSON configuration file (a RabbitMQ definitions export, NATS stream info) with one clear line on failure. */
import { parseDocument } from "yaml";
import { InputError } from "../common/errors.js";

/** Where the YAML parser (JSON is a subset) stops on text JSON.parse refused without saying where. */
function yamlErrorOffset(text: string): number | undefined {
  try {
    return parseDocument(text).errors[0]?.pos[0];
  } catch {
    return undefined;
  }
}

/** Line and column (1-based) of a character offset. */
function place(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

/**
 * @param expected what the file should be, for the message
 * @throws InputError naming the file, the line and column where JSON.parse stopped, and what was expected
 */
export function parseJsonFile(text: string, file: string, expected: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const offset = position !== null ? Number(position[1]) : /end of JSON/.test(message) ? text.length : yamlErrorOffset(text);
    const at = offset === undefined ? {} : place(text, offset);
    const reason = message
      .replace(/\s*\(line \d+ column \d+\)/, "")
      .replace(/ in JSON at position \d+/, "")
      .replace(/, ".*" is not valid JSON$/s, "");
    throw new InputError(`is not JSON (${reason}); expected ${expected}`, { file, ...at });
  }
}

/** A plain object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
