/**
 * Writing an imported model: a YAML document built with the `yaml` package's Document
 * API, so that every value the configuration did not give can carry the comment
 * `# default: not in the config`, and the values taken from the presets are the presets'
 * own nodes (one home for every default: the preset file, read, never copied into a
 * table here).
 */
import { type Document, isCollection, isScalar, type Node, parseDocument, type Scalar, YAMLMap, YAMLSeq } from "yaml";
import { InternalError } from "../common/errors.js";

/** The comment on every value that comes from a preset, not from the files imported. */
export const DEFAULT_COMMENT = " default: not in the config";

/** The preset files a system's defaults come from, read by the caller (models/<name>.yaml). */
export type PresetReader = (name: string) => string;

/** A preset model, parsed, to take default values from. */
export class Preset {
  private readonly doc: Document;
  constructor(
    readonly name: string,
    read: PresetReader,
  ) {
    this.doc = parseDocument(read(name));
    if (this.doc.errors.length > 0) throw new InternalError(`preset models/${name}.yaml does not parse: ${this.doc.errors[0]?.message}`);
  }

  /** `models/<name>.yaml` */
  get file(): string {
    return `models/${this.name}.yaml`;
  }

  /** A copy of the node at `path` (a missing one is a bug: the presets are part of the package). */
  node(path: readonly string[]): Node {
    const node = this.doc.getIn(path, true) as Node | undefined;
    if (node === undefined || !(isScalar(node) || isCollection(node)))
      throw new InternalError(`preset ${this.file} has no ${path.join(".")}`);
    return node.clone() as Node;
  }

  /** The plain value at `path`. */
  value(path: readonly string[]): unknown {
    return this.doc.getIn(path);
  }
}

/** Comments for one entry: a line before its key, or at the end of its line. */
export interface EntryComment {
  readonly before?: string;
  readonly after?: string;
}

/** A mapping being written, entry by entry, with comments. */
export class MapWriter {
  constructor(
    private readonly doc: Document,
    readonly map: YAMLMap = new YAMLMap(),
  ) {}

  /** Add `key: value`; `value` may be a node (a preset's) or plain data (flow style for short lists and maps when `flow`). */
  set(key: string, value: unknown, comment: EntryComment = {}, flow = false): Node {
    const node = (isScalar(value) || isCollection(value) ? value : this.doc.createNode(value)) as Node;
    if (flow && (node instanceof YAMLMap || node instanceof YAMLSeq)) node.flow = true;
    const keyNode = this.doc.createNode(key) as Scalar;
    if (comment.before !== undefined) keyNode.commentBefore = comment.before;
    if (comment.after !== undefined) {
      if (isScalar(node) || ((node instanceof YAMLMap || node instanceof YAMLSeq) && node.flow === true)) node.comment = comment.after;
      else keyNode.commentBefore = keyNode.commentBefore === undefined ? comment.after : `${keyNode.commentBefore}\n${comment.after}`;
    }
    this.map.items.push(this.doc.createPair(keyNode, node));
    return node;
  }

  /** Add a preset's value for `key`, marked `# default: not in the config`. */
  setDefault(key: string, preset: Preset, path: readonly string[]): Node {
    return this.set(key, preset.node(path), { after: DEFAULT_COMMENT });
  }

  /** A nested mapping under `key`. */
  child(key: string, comment: EntryComment = {}): MapWriter {
    const writer = new MapWriter(this.doc);
    this.set(key, writer.map, comment);
    return writer;
  }
}

/** The files imported, for a comment or a description: their names, the first few when there are many. */
export function sourcesText(files: readonly string[], most = 8): string {
  const names = files.map((file) => file.split(/[\\/]/).pop() as string);
  return names.length <= most ? names.join(", ") : `${names.slice(0, most - 1).join(", ")} and ${names.length - most + 1} more`;
}

/** Copy a preset's `params:` (its values are referred to by name), marked as defaults. */
export function copyParams(root: MapWriter, preset: Preset): void {
  if (preset.value(["params"]) !== undefined) root.set("params", preset.node(["params"]), { before: DEFAULT_COMMENT });
}

/** The text of a document: no line folding, `[0, 1, 2]` without inner padding. */
export function documentText(doc: Document): string {
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
