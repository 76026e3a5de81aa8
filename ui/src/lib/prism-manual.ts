// Imported before Prism's core (see highlight.ts): Prism reads `Prism.manual` from the global
// object when it loads, and only then leaves the page alone instead of highlighting every
// `language-*` element by itself. The app asks it for tokens, never for HTML.
(globalThis as { Prism?: { manual: boolean } }).Prism = { manual: true };

export {};
