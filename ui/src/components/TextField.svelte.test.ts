// The one text field: its input is described by the note under it, the error when there is
// one, else the hint.
import { fireEvent, render, screen } from "@testing-library/svelte";
import { createRawSnippet } from "svelte";
import { describe, expect, it } from "vitest";
import { fieldMessage } from "../lib/labels";
import TextField from "./TextField.svelte";

const hint = createRawSnippet(() => ({ render: () => "<span>Lowercase letters, digits and hyphens.</span>" }));

function field(props: Partial<{ error: string | null; describedby: string; invalid: boolean }> = {}) {
  const typed: string[] = [];
  render(TextField, {
    props: {
      id: "bucket",
      label: "Bucket name",
      testid: "bucket-input",
      errorTestid: "bucket-error",
      value: "acme",
      oninput: (value: string) => typed.push(value),
      hint,
      ...props,
    },
  });
  const input = screen.getByLabelText<HTMLInputElement>("Bucket name");
  const note = () => document.getElementById(input.getAttribute("aria-describedby") ?? "");
  return { input, note, typed };
}

describe("TextField", () => {
  it("labels the input and describes it with the hint", async () => {
    const { input, note, typed } = field();
    expect(input.dataset.testid).toBe("bucket-input");
    expect(input.getAttribute("aria-invalid")).toBe("false");
    expect(note()?.textContent?.trim()).toBe("Lowercase letters, digits and hyphens.");

    await fireEvent.input(input, { target: { value: "acme-state" } });
    expect(typed).toEqual(["acme-state"]);
  });

  it("shows the error instead of the hint, and the input is described by it", () => {
    const { input, note } = field({ error: '"Acme": use lowercase letters' });
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(note()?.textContent?.trim()).toBe("Use lowercase letters.");
    expect(screen.getByTestId("bucket-error").textContent).toBe(fieldMessage('"Acme": use lowercase letters'));
    expect(screen.queryByText("Lowercase letters, digits and hyphens.")).toBeNull();
  });

  it("points at a note shared with other fields, without one of its own", () => {
    const { input, note } = field({ describedby: "capacity-note", invalid: true });
    expect(input.getAttribute("aria-describedby")).toBe("capacity-note");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(note()).toBeNull();
  });
});
