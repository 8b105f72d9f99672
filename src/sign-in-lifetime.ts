/**
 * One sign-in's lifetime: what it starts beside its main path (the extras, the open-API warm-up)
 * ends with it. `end` cuts short whatever still runs and waits until each has told `onCall`, so
 * nothing of a sign-in runs on, or reports, after Logto has its result.
 */
export type SignInLifetime = {
  /** Aborted when the sign-in ends with something still running; every call listens to it. */
  signal: AbortSignal;
  /** A task that may outlive the sign-in's main path: `end` waits for it. Returns the task. */
  beside: <T>(task: Promise<T>) => Promise<T>;
  /** Cuts short what still runs and waits for it to settle; never throws. */
  end: () => Promise<void>;
};

export const startSignInLifetime = (): SignInLifetime => {
  const controller = new AbortController();
  const settled: Array<Promise<unknown>> = [];
  let running = 0;
  const done = () => {
    running--;
  };
  return {
    signal: controller.signal,
    beside: (task) => {
      running++;
      settled.push(task.then(done, done));
      return task;
    },
    end: async () => {
      // A sign-in whose extras all ended (the usual case) aborts nothing: that costs a DOMException.
      if (running > 0) {
        controller.abort();
        await Promise.all(settled);
      }
    },
  };
};

/** One call's deadline: aborted at `timeoutMs`, or when the sign-in's lifetime ends. */
export type CallDeadline = {
  /** Aborts whatever the call has in flight: its attempt, its retry, its body read. */
  signal: AbortSignal;
  /** Whether the sign-in's end, not the timer, aborted the call. */
  readonly cutShort: boolean;
  /** Stops the timer and the listening; call it once the call has settled. */
  clear: () => void;
};

export const startCallDeadline = (timeoutMs: number, lifetime?: AbortSignal): CallDeadline => {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  // A listener, added and removed per call, costs about a microsecond; AbortSignal.any over the
  // two about 25 (DEVELOPING, Performance).
  let cutShort = false;
  const cut = () => {
    cutShort = true;
    deadline.abort();
  };
  lifetime?.addEventListener('abort', cut);
  if (lifetime?.aborted) {
    cut();
  }
  return {
    signal: deadline.signal,
    get cutShort() {
      return cutShort;
    },
    clear: () => {
      clearTimeout(timer);
      lifetime?.removeEventListener('abort', cut);
    },
  };
};
