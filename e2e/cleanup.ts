/**
 * What the run started, stopped in reverse order at the end: on success, on a failed step, on an
 * uncaught error and on Ctrl-C. Each undo step runs once; one failing does not stop the others.
 */
type Undo = { name: string; run: () => Promise<void> | void };

const undos: Undo[] = [];
/** One stuck undo (a browser that no longer answers) must not keep the others from running. */
const undoDeadlineMs = 20_000;

const withDeadline = async (work: Promise<void>, ms: number, name: string): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: no end after ${ms / 1000} s`)), ms);
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
};
let running: Promise<void> | undefined;

/** Registers how to undo something just started; returns a function that undoes it now. */
export const onCleanup = (name: string, run: Undo['run']): (() => Promise<void>) => {
  const undo: Undo = { name, run };
  undos.push(undo);
  return async () => {
    const index = undos.indexOf(undo);
    if (index !== -1) {
      undos.splice(index, 1);
      await undo.run();
    }
  };
};

/** Runs every registered undo, newest first. Safe to call more than once. */
export const cleanUp = async (): Promise<void> => {
  running ??= (async () => {
    while (undos.length > 0) {
      const undo = undos.pop();
      if (!undo) {
        break;
      }
      try {
        await withDeadline(Promise.resolve(undo.run()), undoDeadlineMs, undo.name);
      } catch (error: unknown) {
        console.error(
          `cleanup: ${undo.name} failed:`,
          error instanceof Error ? error.message : error,
        );
      }
    }
  })();
  await running;
};

/** Ctrl-C or a kill still stops Logto, PostgreSQL and Chromium and restores the host. */
let stopping = false;

/** True once a signal asked the run to stop: steps not yet started are skipped. */
export const isStopping = (): boolean => stopping;

export const cleanUpOnSignals = (): void => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // `on`, not `once`: Ctrl-C reaches this process twice (from the terminal and relayed by tsx),
    // and a second signal without a handler would kill it halfway through the cleanup.
    process.on(signal, () => {
      if (stopping) {
        return;
      }
      stopping = true;
      console.error(`\n${signal}: stopping everything this run started…`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
};
