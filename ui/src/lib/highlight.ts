// Syntax highlighting of the generated files (HCL and JSON) as tokens with kinds, split into
// lines. Prism's grammars find the tokens; the Svelte side builds one <span> per token with
// `tok-<kind>` classes (colours in app.css), so nothing goes through innerHTML and the CSP
// needs neither inline styles nor eval.
//
// Invariant: the text of all tokens of all lines, joined, is exactly the input (tested on the
// engine's rendered files and on random strings): the preview shows the file as it is written.
import "./prism-manual";
import "prismjs/components/prism-core";
import "prismjs/components/prism-hcl";
import "prismjs/components/prism-json";
import type * as PrismApi from "prismjs";

const Prism = (globalThis as unknown as { Prism: typeof PrismApi }).Prism;

// HCL's `null` is a keyword; Prism's grammar leaves it as plain text.
Prism.languages.insertBefore("hcl", "boolean", { null: { pattern: /\bnull\b/, alias: "keyword" } });

export type Language = "hcl" | "json" | "text";

/** What a token is; its class is `tok-<kind>`. */
export type TokenKind =
  | "keyword"
  | "type"
  | "attr"
  | "string"
  | "interp"
  | "number"
  | "boolean"
  | "comment"
  | "function"
  | "punct";

export interface CodeToken {
  text: string;
  /** Outermost first: `${var.x}` in a string is `["string", "interp", "keyword"]` for `var`. Empty for plain text. */
  kinds: TokenKind[];
}

/** One line of a file: its tokens, the last one `\n` unless it is the file's last line without one. */
export type CodeLine = CodeToken[];

// Prism's token names (and aliases) in the HCL and JSON grammars, to ours.
const KINDS: Readonly<Record<string, TokenKind>> = {
  keyword: "keyword",
  null: "keyword",
  type: "type",
  property: "attr",
  string: "string",
  heredoc: "string",
  interpolation: "interp",
  number: "number",
  boolean: "boolean",
  comment: "comment",
  function: "function",
  punctuation: "punct",
  operator: "punct",
};

/** The language of a generated file, by its name: Terraform files and backend configs are HCL. */
export function languageOf(fileName: string): Language {
  const name = fileName.toLowerCase();
  if (/\.(tf|tfbackend|tfvars|hcl)$/.test(name)) return "hcl";
  if (name.endsWith(".json")) return "json";
  return "text";
}

/** The tokens of `text`, flat, in order; plain text has no kinds. */
export function tokenize(text: string, language: Language): CodeToken[] {
  if (language === "text") return text === "" ? [] : [{ text, kinds: [] }];
  const grammar = Prism.languages[language];
  if (grammar === undefined) return [{ text, kinds: [] }];
  const out: CodeToken[] = [];
  flatten(Prism.tokenize(text, grammar), [], out);
  return out;
}

function flatten(stream: PrismApi.TokenStream, kinds: TokenKind[], out: CodeToken[]) {
  if (typeof stream === "string") {
    if (stream !== "") out.push({ text: stream, kinds });
  } else if (Array.isArray(stream)) {
    for (const part of stream) flatten(part, kinds, out);
  } else {
    const kind = KINDS[stream.type] ?? null;
    flatten(stream.content, kind === null || kinds.includes(kind) ? kinds : [...kinds, kind], out);
  }
}

/**
 * The tokens of `text` by line: a token across lines (a heredoc, a block comment) is cut at
 * each newline, and each `\n` is a plain token of its own at the end of its line. A final
 * newline ends the last line; it does not start an empty one.
 */
export function highlightLines(text: string, language: Language): CodeLine[] {
  const lines: CodeLine[] = [];
  let line: CodeLine = [];
  for (const token of tokenize(text, language)) {
    const pieces = token.text.split("\n");
    pieces.forEach((piece, index) => {
      if (index > 0) {
        line.push({ text: "\n", kinds: [] });
        lines.push(line);
        line = [];
      }
      if (piece !== "") line.push({ text: piece, kinds: token.kinds });
    });
  }
  if (line.length > 0) lines.push(line);
  return lines;
}
