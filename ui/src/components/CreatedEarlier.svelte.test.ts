// Component tests of the notice on the Names step about what Create made a moment ago: Keep
// forgets it, Delete calls clean_up for exactly those names and shows refusals.
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { CleanupReport } from "../ipc";
import { mockBackend, resetBackend, type Handler } from "../ipc/mock";
import { initialState, verifyIdentity, type WizardState } from "../lib/wizard";
import { IDENTITY, checkedNames, namesOf } from "../test/fixtures";
import CreatedEarlier from "./CreatedEarlier.svelte";

afterEach(resetBackend);

function renderNotice(cleanUp: Handler = () => ({ outcomes: [] })) {
  const calls = mockBackend({ clean_up: cleanUp });
  const props = $state({
    wizard: {
      ...verifyIdentity(initialState(), IDENTITY),
      current: "names",
      ...checkedNames(namesOf({ bucket: "renamed-bucket", table: "renamed-locks" })),
      created: { target: { profile: "dev", region: "eu-west-1" }, buckets: ["old-bucket"], tables: ["old-locks"] },
    } as WizardState,
    onchange: (next: WizardState) => {
      props.wizard = next;
    },
  });
  render(CreatedEarlier, { props });
  return { props, calls };
}

describe("CreatedEarlier", () => {
  it("names what was created and is no longer used", () => {
    renderNotice();
    expect(screen.getByTestId("created-earlier").textContent).toContain(
      "You created bucket old-bucket and table old-locks a moment ago.",
    );
    expect(screen.getByTestId("created-keep").textContent).toContain("Keep them (they stay in your account)");
  });

  it("keeps them: the notice goes and nothing is deleted", async () => {
    const { props, calls } = renderNotice();
    await fireEvent.click(screen.getByTestId("created-keep"));
    expect(props.wizard.created).toBeNull();
    expect(screen.queryByTestId("created-earlier")).toBeNull();
    expect(calls).toEqual([]);
  });

  it("deletes exactly those with clean_up and shows what was refused", async () => {
    const report: CleanupReport = {
      outcomes: [
        {
          kind: "bucket",
          name: "old-bucket",
          result: "refused",
          message: "Bucket old-bucket holds 1 state (app/terraform.tfstate): run `terraform destroy` first.",
        },
        { kind: "table", name: "old-locks", result: "deleted", message: null },
      ],
    };
    const { props, calls } = renderNotice(() => report);
    await fireEvent.click(screen.getByTestId("created-delete"));
    await waitFor(() => expect(screen.getByTestId("created-refused-old-bucket")).toBeTruthy());
    expect(calls).toEqual([
      {
        command: "clean_up",
        args: { profile: "dev", region: "eu-west-1", names: ["old-bucket", "old-locks"], withState: false },
      },
    ]);
    expect(screen.getByTestId("created-refused-old-bucket").textContent).toContain("terraform destroy");
    expect(props.wizard.created).toEqual({
      target: { profile: "dev", region: "eu-west-1" },
      buckets: ["old-bucket"],
      tables: [],
    });
  });
});
