/**
 * Messages between the bench and the simulator's child process (Node IPC, JSON). Both sides check
 * what they receive.
 */
import { z } from 'zod';

/** Reset the simulator, set its delay, then mint `count` fresh codes for `scope`. */
export const batchRequestGuard = z.object({
  type: z.literal('batch'),
  id: z.number().int(),
  count: z.number().int().nonnegative(),
  scope: z.string(),
  delayMs: z.number().nonnegative(),
});

export type BatchRequest = z.infer<typeof batchRequestGuard>;

export const stopRequestGuard = z.object({ type: z.literal('stop') });

export const childRequestGuard = z.discriminatedUnion('type', [
  batchRequestGuard,
  stopRequestGuard,
]);

export type ChildRequest = z.infer<typeof childRequestGuard>;

export const readyMessageGuard = z.object({
  type: z.literal('ready'),
  baseUrl: z.string(),
  clientId: z.string(),
  clientSecret: z.string(),
  redirectUri: z.string(),
  state: z.string(),
  /** The union ids of the accounts codes are minted for, in minting order (round robin). */
  unionIds: z.array(z.string()),
});

export type ReadyMessage = z.infer<typeof readyMessageGuard>;

export const batchReplyGuard = z.object({
  type: z.literal('batch'),
  id: z.number().int(),
  codes: z.array(z.string()),
  /** Xiaomi API calls (token and open APIs, by path) answered since the previous batch. */
  previousCalls: z.record(z.string(), z.number()),
  /** CPU time (user and system) the simulator's process spent since the batch before. */
  previousCpuMicros: z.number(),
});

export type BatchReply = z.infer<typeof batchReplyGuard>;

export const errorReplyGuard = z.object({
  type: z.literal('error'),
  id: z.number().int().optional(),
  message: z.string(),
});

export const childMessageGuard = z.discriminatedUnion('type', [
  readyMessageGuard,
  batchReplyGuard,
  errorReplyGuard,
]);

export type ChildMessage = z.infer<typeof childMessageGuard>;
