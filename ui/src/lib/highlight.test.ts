// The highlighter's tokens: what each construct of HCL and JSON is called, and that the tokens
// always spell the input exactly (the engine's rendered files, the UI fixtures, random text).
import { describe, expect, it } from "vitest";
import { filesOf, renderRequestOf } from "../test/fixtures";
import { highlightLines, languageOf, tokenize, type CodeToken, type Language } from "./highlight";

/** The engine's own output (tfstate-wizard-cli render), see src/test/rendered/README.md. */
const RENDERED = import.meta.glob(["../test/rendered/**/*.tf", "../test/rendered/**/*.tfbackend", "../test/rendered/**/*.json"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

const joined = (tokens: CodeToken[]) => tokens.map((t) => t.text).join("");

/** The kinds of the first token spelled `text`; fails the test when there is none. */
function kindsOf(tokens: CodeToken[], text: string): string[] {
  const token = tokens.find((t) => t.text === text);
  if (token === undefined) throw new Error(`no token ${JSON.stringify(text)} in ${JSON.stringify(tokens)}`);
  return token.kinds;
}

const hcl = (text: string) => tokenize(text, "hcl");
const json = (text: string) => tokenize(text, "json");

describe("languageOf", () => {
  it("reads Terraform files and backend configs as HCL, policies and presets as JSON", () => {
    expect(languageOf("backend.tf")).toBe("hcl");
    expect(languageOf("dev.s3.tfbackend")).toBe("hcl");
    expect(languageOf("tfstate-backend-policy.json")).toBe("json");
    expect(languageOf("tfstate-wizard.json")).toBe("json");
    expect(languageOf("README")).toBe("text");
    expect(tokenize("plain", "text")).toEqual([{ text: "plain", kinds: [] }]);
  });
});

describe("HCL", () => {
  it("names attributes, strings and the equals sign", () => {
    const tokens = hcl('bucket = "tfstate-1"\n');
    expect(kindsOf(tokens, "bucket")).toEqual(["attr"]);
    expect(kindsOf(tokens, "=")).toEqual(["punct"]);
    expect(kindsOf(tokens, '"tfstate-1"')).toEqual(["string"]);
  });

  it("knows #, // and /* */ comments, and that they do not start inside a string", () => {
    const tokens = hcl('# one\nurl = "https://x#y" // two\n/* three\n   lines */\n');
    expect(kindsOf(tokens, "# one")).toEqual(["comment"]);
    expect(kindsOf(tokens, "// two")).toEqual(["comment"]);
    expect(kindsOf(tokens, "/* three\n   lines */")).toEqual(["comment"]);
    expect(kindsOf(tokens, '"https://x#y"')).toEqual(["string"]);
  });

  it("marks ${} interpolation inside a string, and a /* after it stays in the string", () => {
    const tokens = hcl('Resource = ["${var.arn}/*"]\n');
    expect(kindsOf(tokens, "$")).toEqual(["string", "interp", "punct"]);
    expect(kindsOf(tokens, "var")).toEqual(["string", "interp", "keyword"]);
    expect(kindsOf(tokens, "arn")).toEqual(["string", "interp", "type"]);
    expect(kindsOf(tokens, '/*"')).toEqual(["string"]);
    expect(kindsOf(tokens, "]")).toEqual(["punct"]);
    expect(tokens.some((t) => t.kinds.includes("comment"))).toBe(false);
  });

  it("keeps escaped quotes, $${ and %%{ inside one string with no interpolation", () => {
    const text = 'key = "dev/\\"q\\" $${var.x} %%{ if } \\\\ back/terraform.tfstate"';
    const tokens = hcl(text);
    expect(kindsOf(tokens, text.slice("key = ".length))).toEqual(["string"]);
    expect(tokens.some((t) => t.kinds.includes("interp"))).toBe(false);
  });

  it("knows numbers, booleans and null", () => {
    const tokens = hcl("days = 90\nratio = 1.5e3\nenabled = true\noff = false\nnone = null\n");
    expect(kindsOf(tokens, "90")).toEqual(["number"]);
    expect(kindsOf(tokens, "1.5e3")).toEqual(["number"]);
    expect(kindsOf(tokens, "true")).toEqual(["boolean"]);
    expect(kindsOf(tokens, "false")).toEqual(["boolean"]);
    expect(kindsOf(tokens, "null")).toEqual(["keyword"]);
  });

  it("names nested block types and their labels", () => {
    const tokens = hcl(
      'resource "aws_s3_bucket" "state" {\n  lifecycle {\n    prevent_destroy = true\n  }\n}\nbackend "s3" {\n}\n',
    );
    expect(kindsOf(tokens, "resource ")).toEqual(["keyword"]);
    expect(kindsOf(tokens, '"aws_s3_bucket"')).toEqual(["keyword", "type"]);
    expect(kindsOf(tokens, "lifecycle")).toEqual(["keyword"]);
    expect(kindsOf(tokens, "prevent_destroy")).toEqual(["attr"]);
    expect(kindsOf(tokens, "backend")).toEqual(["keyword"]);
    expect(tokens.filter((t) => t.text === "{").every((t) => t.kinds.join() === "punct")).toBe(true);
  });

  it("reads a heredoc as one string over its lines, and what follows as code again", () => {
    const lines = highlightLines('policy = <<EOT\n{"a": "#b"}\nEOT\nx = 1\n', "hcl");
    expect(lines).toHaveLength(4);
    expect(lines[0]?.at(-2)).toEqual({ text: "<<EOT", kinds: ["string"] });
    expect(lines[1]).toEqual([
      { text: '{"a": "#b"}', kinds: ["string"] },
      { text: "\n", kinds: [] },
    ]);
    expect(lines[2]?.[0]).toEqual({ text: "EOT", kinds: ["string"] });
    expect(kindsOf(lines[3] ?? [], "1")).toEqual(["number"]);
  });
});

describe("JSON", () => {
  it("tells property names from string values, with escapes, and knows numbers, literals and punctuation", () => {
    const text = String.raw`{"a\"b": "c\\\"d", "n": -1.5e3, "t": true, "z": null, "l": ["x", 2]}`;
    const tokens = json(text);
    expect(kindsOf(tokens, String.raw`"a\"b"`)).toEqual(["attr"]);
    expect(kindsOf(tokens, String.raw`"c\\\"d"`)).toEqual(["string"]);
    expect(kindsOf(tokens, "-1.5e3")).toEqual(["number"]);
    expect(kindsOf(tokens, "true")).toEqual(["boolean"]);
    expect(kindsOf(tokens, "null")).toEqual(["keyword"]);
    expect(kindsOf(tokens, ":")).toEqual(["punct"]);
    expect(kindsOf(tokens, "[")).toEqual(["punct"]);
    expect(joined(tokens)).toBe(text);
  });
});

describe("lines", () => {
  it("ends each line with its own newline token and starts no empty line after the last one", () => {
    const lines = highlightLines("a = 1\n\n/* x\ny */\n", "hcl");
    expect(lines.map((line) => joined(line))).toEqual(["a = 1\n", "\n", "/* x\n", "y */\n"]);
    expect(lines[2]?.[0]).toEqual({ text: "/* x", kinds: ["comment"] });
    expect(lines[3]?.[0]).toEqual({ text: "y */", kinds: ["comment"] });
    expect(highlightLines("no newline", "hcl").map((line) => joined(line))).toEqual(["no newline"]);
    expect(highlightLines("", "json")).toEqual([]);
  });
});

describe("round trip: the tokens spell the input exactly", () => {
  function expectRoundTrip(text: string, language: Language) {
    const lines = highlightLines(text, language);
    expect(lines.map((line) => joined(line)).join("")).toBe(text);
    // Only a line's last token is a newline, and no token is empty.
    for (const line of lines) {
      line.forEach((token, index) => {
        expect(token.text).not.toBe("");
        expect(token.text.includes("\n")).toBe(token.text === "\n" && index === line.length - 1);
      });
    }
    const count = text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    expect(lines).toHaveLength(count);
  }

  it("for every file the engine rendered", () => {
    const names = Object.keys(RENDERED);
    expect(names.length).toBeGreaterThanOrEqual(10);
    for (const [path, text] of Object.entries(RENDERED)) {
      const language = languageOf(path);
      expect(language).not.toBe("text");
      expectRoundTrip(text, language);
      // Real files are highlighted, not passed through as plain text.
      expect(tokenize(text, language).filter((t) => t.kinds.length > 0).length).toBeGreaterThan(3);
    }
  });

  it("for every file of the UI's test fixtures", () => {
    const all = renderRequestOf({
      state_backend_tf: true,
      iam_policy: true,
      environments: ["dev", "prod"],
      assume_role_arn: "arn:aws:iam::123456789012:role/tf",
    });
    for (const file of [...filesOf(renderRequestOf()).files, ...filesOf(all).files]) {
      expectRoundTrip(file.contents, languageOf(file.name));
    }
  });

  it("for random text made of what the grammars care about", () => {
    // A fixed seed (mulberry32): a failure is the same on every run.
    let seed = 0x5eed;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const alphabet = [..."\"\\${}%#/*<<-EOT=:[],.\n\t 0123456789aeznrtu_éß"].concat(["🦀", "true", "null", "<<EOT\n", "\nEOT"]);
    for (let n = 0; n < 400; n += 1) {
      const length = Math.floor(random() * 60);
      const text = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
      expectRoundTrip(text, "hcl");
      expectRoundTrip(text, "json");
    }
  });
});
