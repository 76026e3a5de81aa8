// Builds ui/dist for Tauri (frontendDist "../ui/dist") and runs the Vitest suite.
// The app runs under a strict CSP (script-src/style-src 'self'): the build must emit no
// inline <script> or <style>, so component CSS goes to a .css file (vite-plugin-svelte's
// default emitCss) and nothing is loaded from a CDN.
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Relative asset URLs: Tauri serves dist/ from its own protocol, not from a web root.
  base: "./",
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  server: { strictPort: true },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Never inline assets as data: URLs into CSS/JS; keep every asset a file under 'self'.
    assetsInlineLimit: 0,
    // The system webviews the app runs in: WebView2 (Chromium, evergreen) on Windows, WebKit on
    // macOS (WKWebView, as new as the installed Safari) and Linux (WebKitGTK). Tauri recommends
    // chrome105 and safari13; the floor here is Safari 15 because the CSS needs it (flex `gap`,
    // `:where`), and src/webview.test.ts keeps newer APIs out of the sources. Syntax is lowered
    // to these targets and CSS gets their prefixes; APIs are not polyfilled.
    target: ["chrome105", "safari15"],
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    restoreMocks: true,
  },
});
