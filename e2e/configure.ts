/**
 * Logto set up as an admin would, through the Management API only: the Xiaomi connector with the
 * simulated Xiaomi web app's credentials and the Android app's (mobileClientIds and
 * mobileClientSecrets), a sign-in experience offering "Continue with Xiaomi", the web app the end
 * user signs in to and the Android app's Native app, and the Account API and Account Center (where
 * a user reads their stored Xiaomi token, and links, replaces or removes Xiaomi from Logto 1.38).
 */
import type { SimulatorApp } from '../simulator/index.js';

import { nativeRedirectUri, type NativeApp } from './android-app.js';
import type { ManagementApi } from './management-api.js';
import type { OidcApp } from './oidc-app.js';

export const connectorFactoryId = 'xiaomi-universal';

export const configureLogto = async ({
  api,
  endpoint,
  connectorId,
  xiaomiApp,
  mobileXiaomiApp,
  appRedirectUri,
}: {
  api: ManagementApi;
  endpoint: string;
  connectorId: string;
  xiaomiApp: SimulatorApp;
  /** The Android app's Mobile/Tablet app at Xiaomi. */
  mobileXiaomiApp: SimulatorApp;
  appRedirectUri: string;
}): Promise<{ app: OidcApp; nativeApp: NativeApp; done: string[] }> => {
  const done: string[] = [];
  // The id is proposed up front (POST /connectors takes one) so the config can name its callback URL.
  await api.createConnector({
    id: connectorId,
    connectorId: connectorFactoryId,
    config: {
      clientId: xiaomiApp.clientId,
      clientSecret: xiaomiApp.clientSecret,
      // Profile, open id, phone and email: every call the connector can make at sign-in.
      scope: '1 3 4 6',
      redirectUri: `${endpoint}/callback/${connectorId}`,
      // The Android app's own App ID and App Secret (README "Sign in from an Android app").
      mobileClientIds: mobileXiaomiApp.clientId,
      mobileClientSecrets: mobileXiaomiApp.clientSecret,
    },
  });
  done.push(`POST /connectors (${connectorId}, with the Android app's mobileClientIds)`);

  // Social sign-up needs no other identifier; offline, the breached-password check must be off.
  await api.updateSignInExperience({
    signInMode: 'SignInAndRegister',
    signUp: { identifiers: [], password: false, verify: false },
    socialSignInConnectorTargets: ['xiaomi'],
    passwordPolicy: { rejects: { pwned: false } },
  });
  done.push('PATCH /sign-in-exp');

  const application = await api.createApplication({
    name: 'e2e app',
    type: 'Traditional',
    oidcClientMetadata: { redirectUris: [appRedirectUri], postLogoutRedirectUris: [] },
  });
  // Up to 1.41 the creation answer carries the secret; from 1.42 only the app's secrets list does
  // (core's routes/applications/application.ts, commit a1e0f2b).
  const secret = application.secret ?? (await api.applicationSecrets(application.id))[0]?.value;
  if (!secret) {
    throw new Error(
      `Logto gave no secret for app ${application.id}, neither on creation nor in GET /applications/:id/secrets`,
    );
  }
  done.push(
    application.secret
      ? 'POST /applications (secret in its answer)'
      : 'POST /applications, GET /applications/:id/secrets (its secret, Logto 1.42+)',
  );

  // The Android app: a Native app (a public client, PKCE) with its own scheme as redirect URI.
  const native = await api.createApplication({
    name: 'e2e Android app',
    type: 'Native',
    oidcClientMetadata: { redirectUris: [nativeRedirectUri], postLogoutRedirectUris: [] },
  });
  done.push(`POST /applications (Native, redirect URI ${nativeRedirectUri})`);

  await api.enableAccountCenter();
  done.push('PATCH /account-center (on; social Edit, password ReadOnly)');

  return {
    app: {
      endpoint,
      clientId: application.id,
      clientSecret: secret,
      redirectUri: appRedirectUri,
    },
    nativeApp: { endpoint, clientId: native.id, redirectUri: nativeRedirectUri },
    done,
  };
};
