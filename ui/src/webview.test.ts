// The app runs in the system webview: WebView2 on Windows, WebKit on macOS (as new as the
// installed Safari) and on Linux (WebKitGTK). vite.config.ts lowers syntax to Chrome 105 and
// Safari 15 but polyfills no API, so the sources must not call what those lack.
import { describe, expect, it } from "vitest";

const sources = import.meta.glob(["./**/*.{ts,svelte,css}", "!./**/*.test.ts", "!./test/**"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

/** What the floor webviews lack, and the Safari (or Chrome) version that brought it. */
const TOO_NEW: readonly [RegExp, string][] = [
  [/\bObject\.hasOwn\(/, "Object.hasOwn: Safari 15.4"],
  [/\bstructuredClone\(/, "structuredClone: Safari 15.4"],
  [/\.at\(-?\d/, "Array.prototype.at: Safari 15.4"],
  [/\.findLast(Index)?\(/, "findLast: Safari 15.4"],
  [/\.to(Sorted|Reversed|Spliced)\(/, "change-array-by-copy: Safari 16"],
  [/\b(Object|Map)\.groupBy\(/, "groupBy: Safari 17.4"],
  [/\bPromise\.withResolvers\(/, "Promise.withResolvers: Safari 17.4"],
  [/\brequestIdleCallback\(/, "requestIdleCallback: not in Safari"],
  [/:has\(/, "CSS :has(): Safari 15.4, Chrome 105 only"],
  [/\bcolor-mix\(/, "CSS color-mix(): Safari 16.2, Chrome 111"],
  [/@container\b/, "CSS container queries: Safari 16, Chrome 105"],
  [/\blight-dark\(/, "CSS light-dark(): Safari 17.5, Chrome 123"],
  [/\bfield-sizing\b/, "CSS field-sizing: not in Safari"],
  [/\b\d+(\.\d+)?[dsl]vh\b/, "dynamic viewport units: Safari 15.4, Chrome 108"],
];

describe("what the sources ask of the webview", () => {
  it("reads the app's own sources", () => {
    expect(Object.keys(sources)).toContain("./ipc/errors.ts");
    expect(Object.keys(sources)).toContain("./app.css");
    expect(Object.keys(sources).some((path) => path.endsWith(".test.ts"))).toBe(false);
  });

  it("uses nothing the oldest supported webview lacks", () => {
    const found = Object.entries(sources).flatMap(([path, text]) =>
      TOO_NEW.filter(([pattern]) => pattern.test(text)).map(([, what]) => `${path}: ${what}`),
    );
    expect(found).toEqual([]);
  });
});
