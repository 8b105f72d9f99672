/**
 * The Android app of the run, as Xiaomi and Logto know it: its Mobile/Tablet app at Xiaomi (own
 * App ID, App Secret and redirect URL, all obvious fakes), another Android app the connector is
 * not configured for, the Native app in Logto, the Xiaomi accounts only these steps use, and the
 * code Xiaomi's SDK hands the app on the phone (here: the simulator's POST /__simulator/sdk-code,
 * for the App ID and redirect URL the SDK is given, as simulator/README.md describes).
 */
import ky from 'ky';
import { z } from 'zod';

import type { SimulatorAccount, SimulatorApp } from '../simulator/index.js';

/** The redirect URL registered for the Android app at Xiaomi; the SDK and Logto get it unchanged. */
export const mobileRedirectUrl = 'https://app.example.com/xiaomi/oauth';

/** The Android app's Mobile/Tablet app at Xiaomi: in the connector's mobileClientIds. */
export const mobileXiaomiApp: SimulatorApp = {
  kind: 'mobile',
  clientId: '2882303761517000002',
  clientSecret: 'fake-e2e-mobile-secret',
  name: 'Logto e2e (Android)',
  packageName: 'com.example.logto.e2e',
  redirectUris: [mobileRedirectUrl],
  allowedScopes: ['1', '3', '4', '6'],
};

/** Another Android app of the same developer, not in the connector's config. */
export const unconfiguredXiaomiApp: SimulatorApp = {
  kind: 'mobile',
  clientId: '2882303761517000003',
  clientSecret: 'fake-e2e-other-mobile-secret',
  name: 'Another Android app',
  packageName: 'com.example.other',
  redirectUris: ['https://other.example.com/xiaomi/oauth'],
  allowedScopes: ['1', '3'],
};

/** The Native app in Logto: its redirect URI is the app's own scheme (Logto's Android SDK style). */
export const nativeRedirectUri = 'com.example.logto.e2e://callback';

export type NativeApp = { endpoint: string; clientId: string; redirectUri: string };

/**
 * Xiaomi accounts nobody else signs in with: one signs in from the app, one is linked from it, one
 * tries the Android app the connector does not know.
 */
export const androidAccounts = {
  signIn: {
    userId: '7788990011',
    unionId: 'sim-union-An1Sd8Kq4Vb2',
    nickname: 'Chen Jing',
    icon: '',
    phone: '',
    email: '',
    openIdSeed: 'seed-android-sign-in',
    label: 'Signs in from the Android app',
  },
  link: {
    userId: '8899001122',
    unionId: 'sim-union-An2Lk5Rw9Tx7',
    nickname: 'Zhao Min',
    icon: '',
    phone: '',
    email: '',
    openIdSeed: 'seed-android-link',
    label: 'Linked from the Android app',
  },
  unknownApp: {
    userId: '9900112233',
    unionId: 'sim-union-An3Uk6Pz2Mc5',
    nickname: 'Sun Li',
    icon: '',
    phone: '',
    email: '',
    openIdSeed: 'seed-android-unknown-app',
    label: 'Tries an Android app the connector is not configured for',
  },
} satisfies Record<string, SimulatorAccount>;

const sdkAnswerGuard = z.union([
  z.object({ code: z.string(), state: z.string().optional() }),
  z.object({ error: z.number(), error_description: z.string() }),
]);

/** How the SDK's part shows in an app's sequence of calls (it is no call to Logto). */
export const sdkStep = (appId: string) => `(Xiaomi's SDK on the phone: a code for App ID ${appId})`;

/**
 * What `XiaomiOAuthorize().setAppId(appId).setRedirectUrl(redirectUrl).setScope(…)
 * .setState(state).startGetOAuthCode(activity)` gives the app on the phone signed in to `account`.
 */
export const sdkCode = async (
  simulatorUrl: string,
  request: { appId: string; redirectUrl: string; state: string; account: SimulatorAccount },
): Promise<{ code: string; state: string }> => {
  const answer = sdkAnswerGuard.parse(
    await ky
      .post(new URL('/__simulator/sdk-code', simulatorUrl), {
        json: { ...request, account: request.account.userId, scope: [1, 3] },
        throwHttpErrors: false,
      })
      .json(),
  );
  if ('error' in answer) {
    throw new Error(
      `Xiaomi's SDK got no code for App ID ${request.appId}: ${answer.error} ${answer.error_description}`,
    );
  }
  if (answer.state !== request.state) {
    throw new Error('the SDK handed back another state than it was given');
  }
  return { code: answer.code, state: answer.state };
};
