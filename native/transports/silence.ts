// A frame or line still open when the device falls silent: its end is not coming (a scanner or reader set to
// send no terminator, a lost CR or LF). Waiting for the next bytes would glue it to the next good frame.

/** Calls `onSilence` once `ms` pass after the last `arm()` without a `clear()`. Never holds the process open. */
export class SilenceTimer {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly ms: number,
    private readonly onSilence: () => void,
  ) {}

  /** Starts the wait again from now. */
  arm(): void {
    this.clear();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.onSilence();
    }, this.ms);
    this.timer.unref?.();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
