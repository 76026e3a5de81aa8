// The moment the first step is on screen with the profiles listed: what a person waits for at
// start-up. The app measures it (bench/run, scripts/package); the UI only reports it, once.
import { firstStepShown } from "../ipc";

let reported = false;

/** After the next paint, tells the app (once per page) that the first step is drawn. */
export function reportFirstStepShown(): void {
  if (reported) return;
  reported = true;
  // The first frame callback runs before that paint, the second after it.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      firstStepShown().catch(() => {
        // Only a measurement: a window that cannot report it works the same.
      });
    }),
  );
}
