/**
 * A call's deadline as a timer and a promise, with no AbortSignal: ky 1.14 joins a caller's signal
 * to its own with AbortSignal.any (~60 µs a call on Node 20, a sixth of a sign-in's CPU), and each
 * listener on a signal costs several µs more. ky's `timeout` ends each attempt; the deadline ends
 * the waits around it: for ky's answer, before a retry, and for the body.
 */
export const deadlinePassed = Symbol('deadline passed');

export class Deadline {
  /** True once the time is up. */
  passed = false;
  /** Called when the time is up: what stops the wait in progress (a body read). */
  onPass?: () => void;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly reached: Promise<typeof deadlinePassed>;

  constructor(readonly timeoutMs: number) {
    let reach: (() => void) | undefined;
    this.reached = new Promise((resolve) => {
      reach = () => {
        resolve(deadlinePassed);
      };
    });
    this.timer = setTimeout(() => {
      this.passed = true;
      this.onPass?.();
      reach?.();
    }, timeoutMs);
  }

  /** What `promise` settles with, or `deadlinePassed` if the time is up first. */
  async race<T>(promise: Promise<T>): Promise<T | typeof deadlinePassed> {
    return this.passed ? deadlinePassed : Promise.race([promise, this.reached]);
  }

  /** The call has ended: the timer need not fire. */
  clear() {
    clearTimeout(this.timer);
  }
}
