/**
 * The Android app's page: what an app with Xiaomi's SDK does to sign in through Logto's
 * Experience API, with this browser's values: the SDK call as Kotlin, and the calls to Logto.
 */
import { markup, trustedHtml } from '../../simulator/web/html.js';

import { layout } from './layout.js';
import type { HeaderInput } from './types.js';

export type AndroidPageInput = {
  header: HeaderInput;
  connectorId: string;
  /** The App ID, redirect URL and phone account the app uses. */
  appId: string;
  redirectUrl: string;
  account: string;
  /** Scope ids the app asks for (the connector's config, with 1). */
  scopes: string[];
  /** The App IDs the connector's config holds (mobileClientIds). */
  configuredIds: string[];
  accounts: Array<{ userId: string; nickname: string; label: string }>;
  /** The simulated Xiaomi's SDK endpoint; absent against the real Xiaomi. */
  sdkEndpoint?: string;
  hasResult: boolean;
};

const kotlin = ({ appId, redirectUrl, scopes }: AndroidPageInput) =>
  `// In the app (com.xiaomi.account:oauth-android), off the main thread:
val state = UUID.randomUUID().toString()  // also sent to Logto in call 1
val future = XiaomiOAuthorize()
    .setAppId(${appId || '0'}L)
    .setRedirectUrl("${redirectUrl}")
    .setScope(intArrayOf(${scopes.join(', ')}))
    .setState(state)
    .startGetOAuthCode(activity)
val results = future.result  // the code, and the state given above
`;

const logtoCalls = (input: AndroidPageInput) => {
  const prefix = `/api/experience/verification/social/${input.connectorId}`;
  return `PUT  /api/experience  {"interactionEvent": "SignIn"}   (inside the OIDC interaction of /oidc/auth)
POST ${prefix}/authorization-uri
     {"state": state, "redirectUri": "${input.redirectUrl}"}
     → {"authorizationUri": …, "verificationId": …}   (the URI is not opened: the SDK gets the code)
POST ${prefix}/verify
     {"verificationId": …, "connectorData": {"code": code, "state": state, "clientId": "${input.appId}"}}
POST /api/experience/identification  {"verificationId": …}
POST /api/experience/submit  → {"redirectTo": …}, followed to the app's tokens
`;
};

export const androidPage = (input: AndroidPageInput): string => {
  const configured = input.configuredIds.includes(input.appId);
  return layout(
    input.header,
    'Android app: sign in with Xiaomi’s SDK',
    markup`<section class="card">
<h1>Sign in from an Android app</h1>
<p class="muted">On a Xiaomi phone an app gets an authorization code from Xiaomi’s SDK, with the account the phone is signed in to, and hands it to Logto’s Experience API with the App ID it was issued to. The connector exchanges it with that Mobile/Tablet app’s App ID and App Secret (config keys <code>mobileClientIds</code>, <code>mobileClientSecrets</code>) and the redirect URL the flow started with.
<a href="/">Back to the config</a>${input.hasResult && markup` · <a href="/result">Show the last result</a>`}</p>
</section>
<section class="card">
<h2>The SDK call this stands for</h2>
<pre id="kotlin">${kotlin(input)}</pre>
<h2 style="margin-top:16px">The app’s calls to Logto</h2>
<pre id="logto-calls">${logtoCalls(input)}</pre>
</section>
${
  input.sdkEndpoint
    ? markup`<form class="card" id="android-form" method="post" action="/android/sign-in">
<fieldset>
<legend>The app and the phone</legend>
<div class="grid">
<label class="field" for="android-app-id">App ID given to the SDK (setAppId)
<input type="text" id="android-app-id" name="appId" inputmode="numeric" autocomplete="off" value="${input.appId}">
<small id="android-app-id-help">${configured ? 'In the connector’s mobileClientIds.' : 'Not in the connector’s mobileClientIds: the connector will refuse its code.'}</small></label>
<label class="field" for="android-redirect-url">Redirect URL registered for it (setRedirectUrl)
<input type="url" id="android-redirect-url" name="redirectUrl" autocomplete="off" value="${input.redirectUrl}"></label>
</div>
</fieldset>
<fieldset>
<legend>Signed in on the phone</legend>
<div class="grid">
${input.accounts.map(
  (
    account,
  ) => markup`<label class="check" for="phone-account-${account.userId}"><input type="radio" id="phone-account-${account.userId}" name="account" value="${account.userId}"${account.userId === input.account && trustedHtml(' checked')}>
<span>${account.nickname}<small>${account.label}</small></span></label>
`,
)}</div>
</fieldset>
<p class="muted">The playground runs the three calls: Logto’s authorization-uri, the SDK (the simulator’s <code>POST ${input.sdkEndpoint}</code>), Logto’s verify; then shows what Logto gets. Scope: ${input.scopes.join(' ')}.</p>
<div class="actions"><button type="submit" class="primary" id="android-sign-in"><span class="mi" aria-hidden="true">mi</span>Get the code with Xiaomi’s SDK, then verify with Logto</button></div>
</form>`
    : markup`<section class="card"><p class="warn" id="android-real">Against the real Xiaomi, only Xiaomi’s SDK on a phone can get such a code: start the playground without Xiaomi credentials to run it against the simulated Xiaomi.</p></section>`
}`,
  );
};
