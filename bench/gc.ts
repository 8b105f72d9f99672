/**
 * A way to force garbage collection: `global.gc` when Node runs with --expose-gc, else the same
 * function got by setting the flag at run time (V8 then hands it to new contexts).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export type GarbageCollector = {
  collect: () => Promise<void>;
  source: 'expose-gc' | 'v8-flag' | 'none';
};

const settle = async () =>
  new Promise<void>((resolve) => {
    setImmediate(resolve);
  });

const fromFunction = (gc: () => void, source: GarbageCollector['source']): GarbageCollector => ({
  source,
  // Twice, with a turn of the event loop between: finalizers and weak callbacks run in between.
  collect: async () => {
    gc();
    await settle();
    gc();
    await settle();
  },
});

export const findGarbageCollector = (): GarbageCollector => {
  const exposed = globalThis.gc;
  if (typeof exposed === 'function') {
    return fromFunction(() => exposed(), 'expose-gc');
  }
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc === 'function') {
      return fromFunction(() => Reflect.apply(gc, undefined, []), 'v8-flag');
    }
  } catch {
    // No way to collect: memory figures include garbage.
  }
  return { source: 'none', collect: settle };
};
