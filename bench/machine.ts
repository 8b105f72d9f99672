import { availableParallelism, cpus, totalmem } from 'node:os';

import type { Machine } from './result.js';

export const describeMachine = (): Machine => ({
  cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
  cpus: availableParallelism(),
  node: process.version,
  platform: process.platform,
  arch: process.arch,
  totalMemoryBytes: totalmem(),
});
