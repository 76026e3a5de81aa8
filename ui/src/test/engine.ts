// Mock handlers for the engine's pure commands (suggest_request, validate_request,
// validate_render). The rules themselves are the engine's and tested there: a test names the
// inputs it types and the problem the engine answers for each.
import type { BackendRequest, CallerIdentity, Field, Problem, RenderRequest } from "../ipc";
import type { Handler } from "../ipc/mock";
import { suggestionOf } from "./fixtures";

/** A problem the engine answers with whenever `when` holds for the request it is asked about. */
export interface Canned<R> {
  when: (request: R) => boolean;
  problem: Problem;
}

export function canned<R>(field: Field, when: (request: R) => boolean, message: string): Canned<R> {
  return { when, problem: { field, message } };
}

function answering<R>(rules: readonly Canned<R>[]): Handler {
  return ({ request }) => rules.filter((rule) => rule.when(request as R)).map((rule) => rule.problem);
}

/** Handlers for the three commands: the suggestion of fixtures.ts, and the canned problems. */
export function engine(
  requestProblems: readonly Canned<BackendRequest>[] = [],
  renderProblems: readonly Canned<RenderRequest>[] = [],
): Record<"suggest_request" | "validate_request" | "validate_render", Handler> {
  const request = answering(requestProblems);
  return {
    suggest_request: ({ identity, bucket }) => suggestionOf(identity as CallerIdentity, bucket as string | null),
    validate_request: request,
    // A render request's problems include its backend request's.
    validate_render: (args) => [
      ...(request({ request: (args.request as RenderRequest).request }) as Problem[]),
      ...(answering(renderProblems)(args) as Problem[]),
    ],
  };
}

/** Lets pending mock answers and the updates they cause settle. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
