// The moment the first step is on screen with the profiles listed: what a person waits for at
// start-up. The app measures it (bench/run, scripts/package); the UI only reports it, once,
// with the stages on the way (ms since the page started loading) to show where time goes.
import { firstStepShown } from "../ipc";

let reported = false;
const marks: Record<string, number> = {};

/** Notes when the page reached a stage on its way to the first step (the first time only). */
export function mark(stage: string): void {
  marks[stage] ??= Math.round(performance.now());
}

/** After the next paint, tells the app (once per page) that the first step is drawn. */
export function reportFirstStepShown(): void {
  if (reported) return;
  reported = true;
  // The first frame callback runs before that paint, the second after it.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      mark("painted");
      firstStepShown(marks).catch(() => {
        // Only a measurement: a window that cannot report it works the same.
      });
    }),
  );
}
