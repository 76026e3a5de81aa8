// The step components that exist in this build. A step listed in lib/wizard STEPS but
// missing here is shown as "Coming soon" and cannot be entered.
import type { Component } from "svelte";
import type { BuiltSteps, StepId } from "../lib/wizard";
import CreateStep from "./CreateStep.svelte";
import FilesStep from "./FilesStep.svelte";
import IdentityStep from "./IdentityStep.svelte";
import NamesStep from "./NamesStep.svelte";
import PlanStep from "./PlanStep.svelte";
import SaveStep from "./SaveStep.svelte";
import TeamStep from "./TeamStep.svelte";
import type { StepProps } from "./types";

export const stepComponents: Partial<Record<StepId, Component<StepProps>>> = {
  identity: IdentityStep,
  names: NamesStep,
  team: TeamStep,
  plan: PlanStep,
  create: CreateStep,
  files: FilesStep,
  save: SaveStep,
};

export const builtSteps: BuiltSteps = new Set(Object.keys(stepComponents) as StepId[]);
