/**
 * A signed-in Android app links Xiaomi through Logto's Account API, as README.md's "Linking Xiaomi
 * from a signed-in app (Account API)" has it: the user's access token as a bearer, no cookies.
 * Routes, read in logto-io/logto v1.37.1, v1.41.0, v1.42.0 and the #9464 branch: core's
 * routes/verification/index.ts (POST /api/verifications/social and …/social/verify, the connector
 * session kept in the verification record; POST /api/verifications/password, a record for the
 * user), routes/account/identities.ts (POST /api/my-account/identities: the identities scope and a
 * verified identity when the user has a password, an email or a phone; 1.37.1 and 1.40 ask it of
 * every user), and middleware/koa-auth/koa-oidc-auth.ts (the `logto-verification-id` header names
 * the record; from 1.41 it must be a password or user-permission code record, #9110).
 */
import { z } from 'zod';

import type { SimulatorAccount } from '../simulator/index.js';

import { sdkCode, sdkStep } from './android-app.js';
import { createAppHttp, type AppHttp } from './app-http.js';
import { LogtoApiError } from './management-api.js';
import { randomState } from './oidc-app.js';

const recordGuard = z.object({ verificationRecordId: z.string() });
const socialRecordGuard = recordGuard.extend({
  authorizationUri: z.string(),
  expiresAt: z.string(),
});

/** The header Logto reads the identity verification from (middleware/koa-auth/constants.ts). */
const verificationHeader = 'logto-verification-id';

export type LinkRequest = {
  endpoint: string;
  accessToken: string;
  password: string;
  connectorId: string;
  simulatorUrl: string;
  appId: string;
  redirectUrl: string;
  account: SimulatorAccount;
};

/** What happened, for the step: the calls in order and what Logto said when asked unverified. */
export type LinkOutcome = { sequence: string[]; unverified: string };

const link = async (http: AppHttp, recordId: string, headers?: Record<string, string>) =>
  http.call('post', '/api/my-account/identities', z.undefined(), {
    expect: 204,
    json: { newIdentifierVerificationRecordId: recordId },
    headers,
  });

export const linkFromApp = async (request: LinkRequest): Promise<LinkOutcome> => {
  const { connectorId, appId, redirectUrl, account } = request;
  const http = await createAppHttp(request.endpoint, { bearer: request.accessToken });
  try {
    const state = randomState();
    const { verificationRecordId } = await http.call(
      'post',
      '/api/verifications/social',
      socialRecordGuard,
      { expect: 201, json: { connectorId, state, redirectUri: redirectUrl } },
    );
    const sdk = await sdkCode(request.simulatorUrl, { appId, redirectUrl, state, account });
    http.sequence.push(sdkStep(appId));
    await http.call('post', '/api/verifications/social/verify', recordGuard, {
      expect: 200,
      json: {
        verificationRecordId,
        connectorData: { code: sdk.code, state: sdk.state, clientId: appId },
      },
    });
    // Logto asks for the identity verification: without it the link is refused.
    const unverified = await link(http, verificationRecordId).then(
      () => 'linked without an identity verification',
      (error: unknown) => {
        if (error instanceof LogtoApiError) {
          return `${error.status} ${error.code}`;
        }
        throw error;
      },
    );
    const password = await http.call('post', '/api/verifications/password', recordGuard, {
      expect: 201,
      json: { password: request.password },
    });
    await link(http, verificationRecordId, {
      [verificationHeader]: password.verificationRecordId,
    });
    return { sequence: http.sequence, unverified };
  } finally {
    await http.dispose();
  }
};
