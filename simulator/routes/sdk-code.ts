/**
 * POST /__simulator/sdk-code (JSON only, like fault control): a code as Xiaomi's Android SDK gets
 * one on the phone (see `sdk-code.ts`). Answers `{ code, state }`, or HTTP 400 with Xiaomi's
 * `{ error, error_description }`. Not a Xiaomi endpoint: what the phone does stands in for it.
 */
import type Router from '@koa/router';

import { mintSdkCode } from '../sdk-code.js';
import type { SimulatorStore } from '../store.js';
import { RequestError } from '../web/errors.js';

export const sdkCodeRoutes = (router: Router, store: SimulatorStore): void => {
  router.post('/__simulator/sdk-code', (ctx) => {
    if (!ctx.is('application/json')) {
      throw new RequestError(
        415,
        'The SDK code endpoint takes JSON only (content-type: application/json).',
      );
    }
    const result = mintSdkCode(store, ctx.request.body ?? {});
    ctx.status = 'error' in result ? 400 : 200;
    ctx.body = result;
  });
};
