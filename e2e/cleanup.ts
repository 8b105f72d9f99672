/**
 * What the run started, stopped in reverse order at the end: on success, on a failed step, on an
 * uncaught error and on Ctrl-C. Each undo step runs once; one failing does not stop the others.
 */
type Undo = { name: string; run: () => Promise<void> | void };

const undos: Undo[] = [];
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
        await undo.run();
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
export const cleanUpOnSignals = (): void => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping everything this run started…`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
};
