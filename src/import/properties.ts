/**
 * Java `.properties` text (Kafka's `server.properties`), read with the line of every key,
 * so that an error can point at it. What is read: `key=value`, `key: value` and
 * `key value`; `#` and `!` comment lines; a value continued on the next line by a
 * trailing backslash. Escapes inside values (`\t`, `\uXXXX`) are kept as written: the keys
 * mqrel reads hold numbers, words and rack names.
 */
import { InputError } from "../common/errors.js";

export interface Property {
  readonly value: string;
  /** 1-based line of the key */
  readonly line: number;
}

const KEY = /^[A-Za-z0-9_.-]+$/;

/**
 * @param expected what the file was taken for, for the message ("a Kafka server.properties")
 * @throws InputError on a line that is not a property, naming the file and line
 */
export function parseProperties(text: string, file: string, expected: string): Map<string, Property> {
  const properties = new Map<string, Property>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = (lines[i] as string).trimStart();
    if (line === "" || line.startsWith("#") || line.startsWith("!")) continue;
    while (line.endsWith("\\") && i + 1 < lines.length) line = line.slice(0, -1) + (lines[++i] as string).trimStart();
    const match = /^([^=:\s]+)\s*(?:[=:]\s*|\s+|$)(.*)$/.exec(line);
    const key = match?.[1];
    if (match === null || key === undefined || !KEY.test(key)) {
      throw new InputError(`expected ${expected} (key=value lines), found "${line.slice(0, 60)}"`, { file, line: start });
    }
    const previous = properties.get(key);
    if (previous !== undefined) {
      throw new InputError(`${key} is set twice (line ${previous.line} and here); expected one value`, { file, line: start });
    }
    properties.set(key, { value: (match[2] ?? "").trim(), line: start });
  }
  return properties;
}
