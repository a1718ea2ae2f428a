/** A screen drawn into <main>; dispose() stops its timers and subscriptions when the nurse leaves it. */
export interface Screen {
  element: HTMLElement;
  dispose(): void;
}
