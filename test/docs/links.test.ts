/**
 * The docs' relative links resolve: every link and image in README.md, docs/*.md and the
 * examples' READMEs points to a file or folder that exists, and a `#anchor` into a
 * Markdown file names a heading it has — slugged by github-slugger, the implementation of
 * GitHub's own rule (lower case, punctuation dropped, spaces to hyphens, repeats -1, -2…).
 * The Markdown is read by marked's lexer, so links inside code blocks and code spans are
 * not links, and links inside tables are.
 *
 * And the manual ships: every docs/ page the README links to is in the npm package
 * (package.json "files"), so that the README's links work where npm shows it too. Code
 * comments cite the design as `docs/design.md §3a`: every such section exists, and no
 * file cites a design document the repository does not hold.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import GithubSlugger from "github-slugger";
import { Lexer, type Token, type Tokens, walkTokens } from "marked";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The Markdown files whose links are checked, relative to the repository root. */
function markdownFiles(): string[] {
  const docs = readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`);
  const examples = readdirSync(join(ROOT, "examples"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(ROOT, "examples", entry.name, "README.md")))
    .map((entry) => `examples/${entry.name}/README.md`);
  return ["README.md", ...docs.sort(), ...examples.sort()];
}

const lexed = new Map<string, Token[]>();
function tokensOf(file: string): Token[] {
  let tokens = lexed.get(file);
  if (!tokens) {
    tokens = Lexer.lex(readFileSync(join(ROOT, file), "utf8"));
    lexed.set(file, tokens);
  }
  return tokens;
}

/** A heading's text as GitHub slugs it: the rendered text, markup left out. */
function plainText(tokens: readonly Token[]): string {
  return tokens
    .map((token) => {
      if ("tokens" in token && token.tokens && token.type !== "codespan") return plainText(token.tokens);
      return "text" in token && typeof token.text === "string" ? token.text : "";
    })
    .join("");
}

/** The anchors GitHub gives a Markdown file's headings, in order. */
function anchorsOf(file: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  walkTokens(tokensOf(file), (token) => {
    if (token.type === "heading") anchors.add(slugger.slug(plainText((token as Tokens.Heading).tokens)));
  });
  return anchors;
}

/** Every link and image target of a file. */
function hrefsOf(file: string): string[] {
  const hrefs: string[] = [];
  walkTokens(tokensOf(file), (token) => {
    if (token.type === "link" || token.type === "image") hrefs.push((token as Tokens.Link | Tokens.Image).href);
  });
  return hrefs;
}

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i; // https:, mailto:, …

/** What is wrong with one relative link of `file`, or undefined when it resolves. */
function brokenReason(file: string, href: string): string | undefined {
  const hash = href.indexOf("#");
  const path = decodeURI(hash < 0 ? href : href.slice(0, hash));
  const anchor = hash < 0 ? undefined : decodeURIComponent(href.slice(hash + 1));
  const target = path === "" ? file : normalize(join(dirname(file), path));
  if (target.startsWith("..")) return "leaves the repository";
  if (!existsSync(join(ROOT, target))) return `no file ${target}`;
  if (anchor !== undefined && target.endsWith(".md") && !anchorsOf(target).has(anchor)) {
    return `no heading #${anchor} in ${target}`;
  }
  return undefined;
}

describe("the docs' links", () => {
  it("when README.md and docs/*.md link relatively then every target exists, and every #anchor names a heading", () => {
    // Arrange
    const files = markdownFiles();
    let checked = 0;
    const broken: string[] = [];

    // Act
    for (const file of files) {
      for (const href of hrefsOf(file)) {
        if (EXTERNAL.test(href)) continue;
        checked++;
        const reason = brokenReason(file, href);
        if (reason) broken.push(`${file}: (${href}) ${reason}`);
      }
    }

    // Assert: the manual has well over a hundred relative links; none is broken
    expect(files).toContain("docs/design.md");
    expect(checked).toBeGreaterThan(100);
    expect(broken).toEqual([]);
  });

  it("when a heading has code, punctuation or a repeat then its anchor is GitHub's", () => {
    // Arrange: anchors written by hand from GitHub's rule (the first two are links the old README used)
    const file = "docs/simulator.md";

    // Act
    const anchors = anchorsOf(file);

    // Assert
    expect(anchors).toContain("rare-events-importance-sampling---method");
    expect(anchors).toContain("sharded-runs---shard-and-mqrel-merge");
    expect(anchorsOf("docs/model-files.md")).toContain("the-message-path-messages");
    expect(anchorsOf("docs/design.md")).toContain("3a-failure-modes-zones-maintenance-failover");
  });

  it("when the README links to a manual page then the npm package ships it", () => {
    // Arrange: package.json "files" entries are folders or globs, as npm reads them
    const { files } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { files: string[] };
    const shipped = (path: string) => files.some((entry) => path === entry || path.startsWith(`${entry}/`) || picomatch(entry)(path));
    const pages = [
      ...new Set(
        hrefsOf("README.md")
          .filter((href) => !EXTERNAL.test(href))
          .map((href) => relative(ROOT, join(ROOT, href.split("#")[0] as string)))
          .filter((path) => path.startsWith("docs/") && path.endsWith(".md")),
      ),
    ];

    // Act
    const missing = pages.filter((page) => !shipped(page));

    // Assert
    expect(pages.length).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });
});

/** Text files of the repository that may cite the design: sources, tests, docs, scripts. */
function citingFiles(directory: string): string[] {
  return readdirSync(join(ROOT, directory), { withFileTypes: true }).flatMap((entry) => {
    const path = `${directory}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : citingFiles(path);
    return /\.(ts|mjs|js|md|py|yaml|yml)$/.test(entry.name) ? [path] : [];
  });
}

describe("citations of the design", () => {
  it("when a comment cites docs/design.md §N then docs/design.md has that section, and nothing cites another design file", () => {
    // Arrange: the sections are the numbered headings of docs/design.md ("## 1. Layout", "### 3a. …")
    const sections = new Set<string>();
    walkTokens(tokensOf("docs/design.md"), (token) => {
      const number = token.type === "heading" ? /^(\d+[a-z]?)\. /.exec((token as Tokens.Heading).text)?.[1] : undefined;
      if (number) sections.add(number);
    });
    const files = ["README.md", ...["src", "test", "docs", "scripts", "bench", "examples"].flatMap(citingFiles)];

    // Act
    const cited: string[] = [];
    const unknown: string[] = [];
    const elsewhere: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), "utf8");
      for (const match of text.matchAll(/docs\/design\.md §(\d+[a-z]?)/g)) {
        cited.push(match[1] as string);
        if (!sections.has(match[1] as string)) unknown.push(`${file}: §${match[1]}`);
      }
      if (/\bDESIGN\.md\b|\.\.\/shared\//.test(text)) elsewhere.push(file);
    }

    // Assert: about forty citations today, every one to a section that exists
    expect([...sections]).toEqual(expect.arrayContaining(["1", "2", "3", "3a", "3b", "3c", "3d", "3e", "4", "5", "6"]));
    expect(cited.length).toBeGreaterThan(30);
    expect(unknown).toEqual([]);
    expect(elsewhere).toEqual([]);
  });
});
