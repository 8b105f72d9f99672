/** The start page: the connector config, Logto's side of the sign-in, the fault switches. */
import type { SimulatorFaults } from '../../simulator/index.js';
import { markup, trustedHtml } from '../../simulator/web/html.js';
import { consoleRedirectUriLabel } from '../../src/constant.js';

import { fieldLabel, isRequired, type FormItems } from './form-items.js';
import { checked, layout } from './layout.js';
import type { HeaderInput, PlaygroundSettings } from './types.js';

const faultInputs: { key: keyof SimulatorFaults; label: string; hint: string }[] = [
  { key: 'wrongSecret', label: 'Wrong secret', hint: 'token endpoint answers 96003' },
  {
    key: 'redirectUriNotRegistered',
    label: 'Redirect URI not registered',
    hint: 'authorize and token answer 96010',
  },
  { key: 'codeAlreadyUsed', label: 'Code already used', hint: 'code exchange answers 96013' },
  {
    key: 'profileTokenRejected',
    label: 'Profile token rejected',
    hint: 'open APIs answer 96008 (HTTP 200)',
  },
  { key: 'badGateway', label: 'Bad gateway', hint: 'API endpoints answer 502 HTML' },
  { key: 'hang', label: 'Hang', hint: 'API endpoints never answer' },
];

export type ConfigPageInput = {
  header: HeaderInput;
  connector: {
    id: string;
    target: string;
    packageName: string;
    packageVersion: string;
    /** The connector's form items: the Console's labels. */
    formItems: FormItems;
  };
  settings: PlaygroundSettings;
  secretIsSet: boolean;
  mobileSecretsAreSet: boolean;
  /** This browser's fault switches (simulator mode). */
  faults?: SimulatorFaults;
  /** This browser's own simulated app (simulator mode). */
  appClientId?: string;
  simulatorUrl?: string;
  callbackUrl: string;
  hasResult: boolean;
};

const faultSwitches = (faults: SimulatorFaults, appClientId: string | undefined) =>
  markup`<fieldset id="faults">
<legend>Fault switches <span class="muted">(this browser only: they apply to its own simulated apps${appClientId && markup`, App ID <code id="own-app-id">${appClientId}</code> and its mobile app`})</span></legend>
<div class="grid">
${faultInputs.map(
  ({ key, label, hint }) => markup`<label class="check" for="fault-${key}">
<input type="checkbox" id="fault-${key}" name="fault.${key}" value="true"${checked(faults[key] === true)}>
<span>${label}<small>${hint}</small></span></label>
`,
)}<label class="field" for="fault-delayMs">Delay before each API answer (ms)
<input type="number" id="fault-delayMs" name="fault.delayMs" min="0" step="50" value="${faults.delayMs ?? 0}"></label>
</div>
</fieldset>`;

const secretHelp = (isSet: boolean): string =>
  isSet
    ? 'A secret is stored: leave this empty to keep it, type a new one to replace it. “Reset the connector config” below brings back the one the playground started with.'
    : 'No secret is stored yet: type the App Secret.';

/** ` required` for a field the connector requires (and the App Secret only while none is stored). */
const required = (on: boolean) => on && trustedHtml(' required');

const mobileSecretsHelp = (areSet: boolean): string =>
  areSet
    ? 'Secrets are stored. Leave this empty to keep them (while there are mobile App IDs); type new ones to replace them.'
    : 'None stored: one App Secret per mobile App ID, space-separated, in the same order.';

export const configPage = (input: ConfigPageInput): string => {
  const { settings } = input;
  const { formItems } = input.connector;
  return layout(
    input.header,
    'Xiaomi connector playground',
    markup`<section class="card">
<h1>Sign in with Xiaomi, the way Logto does it</h1>
<p class="muted">Loaded <code>${input.connector.packageName}@${input.connector.packageVersion}</code>
with Logto's connector loader · factory <code>${input.connector.id}</code> · target <code>${input.connector.target}</code>
${input.simulatorUrl && markup` · simulator at <a href="${input.simulatorUrl}">${input.simulatorUrl}</a>`}</p>
${input.hasResult && markup`<p><a href="/result" id="last-result">Show the last result</a></p>`}
</section>
<form class="card" id="config-form" method="post" action="/sign-in">
<fieldset>
<legend>Connector config</legend>
<p class="muted">${consoleRedirectUriLabel}: <code id="callback-url">${input.callbackUrl}</code></p>
<div class="grid">
<label class="field" for="client-id">${fieldLabel(formItems, 'clientId')}
<input type="text" id="client-id" name="clientId" inputmode="numeric" autocomplete="off" value="${settings.clientId}"${required(isRequired(formItems, 'clientId'))}></label>
<label class="field" for="client-secret">${fieldLabel(formItems, 'clientSecret')}
<input type="password" id="client-secret" name="clientSecret" autocomplete="off" aria-describedby="client-secret-help"${required(isRequired(formItems, 'clientSecret') && !input.secretIsSet)}>
<small id="client-secret-help">${secretHelp(input.secretIsSet)}</small></label>
<label class="field" for="scope">${fieldLabel(formItems, 'scope')}
<input type="text" id="scope" name="scope" autocomplete="off" placeholder="1 3" value="${settings.scope}"></label>
<label class="field" for="redirect-uri">${fieldLabel(formItems, 'redirectUri')}
<input type="url" id="redirect-uri" name="redirectUri" autocomplete="off" value="${settings.redirectUri}"></label>
<label class="field" for="mobile-client-ids">${fieldLabel(formItems, 'mobileClientIds')}
<input type="text" id="mobile-client-ids" name="mobileClientIds" inputmode="numeric" autocomplete="off" value="${settings.mobileClientIds}"></label>
<label class="field" for="mobile-client-secrets">${fieldLabel(formItems, 'mobileClientSecrets')}
<input type="password" id="mobile-client-secrets" name="mobileClientSecrets" autocomplete="off" aria-describedby="mobile-client-secrets-help">
<small id="mobile-client-secrets-help">${mobileSecretsHelp(input.mobileSecretsAreSet)}</small></label>
<label class="check" for="skip-confirm"><input type="checkbox" id="skip-confirm" name="skipConfirm" value="true"${checked(settings.skipConfirm)}>
<span>${fieldLabel(formItems, 'skipConfirm')}<small>no consent page for a remembered Xiaomi account</small></span></label>
<label class="check" for="skip-warm-up"><input type="checkbox" id="skip-warm-up" name="skipWarmUp" value="true"${checked(settings.skipWarmUp)}>
<span>${fieldLabel(formItems, 'skipWarmUp')}<small>off: a plain GET of the open-API host per open-API call beside the code exchange, after a second without calls</small></span></label>
</div>
</fieldset>
<fieldset>
<legend>Logto side</legend>
<div class="grid">
<label class="check" for="token-storage"><input type="checkbox" id="token-storage" name="tokenStorage" value="true"${checked(settings.tokenStorage)}>
<span>Store tokens<small>calls getTokenResponseAndUserInfo instead of getUserInfo</small></span></label>
<label class="check" for="api-client"><input type="checkbox" id="api-client" name="apiClient" value="true"${checked(settings.apiClient)}>
<span>API client<small>pass the callback on with its state, for the connector to check, instead of doing what Logto's sign-in page does (check state itself, then strip it)</small></span></label>
<label class="field" for="timeout-ms">Connector timeout (ms)
<input type="number" id="timeout-ms" name="timeoutMs" min="100" step="100" value="${settings.timeoutMs}"></label>
</div>
</fieldset>
${input.faults && faultSwitches(input.faults, input.appClientId)}
<div class="actions">
<button type="submit" class="primary" id="sign-in"><span class="mi" aria-hidden="true">mi</span>Sign in with Xiaomi</button>
<button type="submit" class="secondary" id="android" formaction="/settings">Android app: sign in with Xiaomi’s SDK</button>
<button type="submit" class="secondary" id="reset-config" formaction="/reset-config" formnovalidate>Reset the connector config</button>
<small class="muted" id="reset-config-help">${input.header.mode === 'simulator' ? 'back to this browser’s simulated app: its App ID and App Secret' : 'back to what npm start was given: XIAOMI_CLIENT_ID, XIAOMI_CLIENT_SECRET, PLAYGROUND_REDIRECT_URI'}</small>
</div>
</form>`,
  );
};
