// The contract between the wizard shell and a step component. Every step gets the same
// props, so adding a step is one component plus one entry in ./index.ts.
import type { AppInfo } from "../ipc";
import type { WizardState } from "../lib/wizard";

export interface StepProps {
  app: AppInfo;
  wizard: WizardState;
  /** Replaces the wizard state; build the new one with the functions of lib/wizard. */
  onchange: (next: WizardState) => void;
  /**
   * Tells the shell that the step is in the middle of something that must not be left
   * (AWS is being changed): the shell then holds Back, Next and the stepper.
   */
  onbusy?: (busy: boolean) => void;
  /** Opens the Clean up page (what this tool created in the account and region). */
  oncleanup?: () => void;
}
