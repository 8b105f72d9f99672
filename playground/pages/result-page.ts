/** The result page: the user Logto would get, or the error and what an admin would do about it. */
import type { SocialUserInfo, TokenResponse } from '@logto/connector-kit';

import { markup, type Html } from '../../simulator/web/html.js';
import type { XiaomiCall } from '../../src/index.js';

import { adviceCard, type Advice } from './advice.js';
import { appStepsCard } from './app-steps.js';
import { callOutcomeWords } from './call-outcome.js';
import { json, layout, mask } from './layout.js';
import type { HeaderInput, Outcome, ShownError } from './types.js';

/**
 * What a row says under the call's name: a warm-up is not one of Xiaomi's API calls, and its
 * number says which of the sign-in's connections it opened.
 */
const callNote = (call: XiaomiCall) =>
  call.name === 'warmUp'
    ? `${call.method} · opens connection ${call.attempt} for the open-API calls, carrying nothing`
    : `${call.method} · attempt ${call.attempt}`;

/** A call the sign-in's end stopped did not fail: it was no longer needed. */
const outcomePill = (call: XiaomiCall, failed: boolean): Html =>
  call.outcome === 'cut-short'
    ? markup`<span class="muted" title="stopped: the sign-in had ended">cut short</span>`
    : markup`<span class="pill${failed ? ' failed' : ''}">${callOutcomeWords(call)}</span>`;

const timeline = (calls: XiaomiCall[]): Html => {
  if (calls.length === 0) {
    return markup`<p class="muted" id="timeline-empty">No call to Xiaomi was made.</p>`;
  }
  const longest = Math.max(1, ...calls.map((call) => call.durationMs));
  const rows = calls.map((call, index) => {
    const failed =
      call.outcome !== 'ok' && call.outcome !== 'cut-short' && !/^HTTP 2\d\d$/.test(call.outcome);
    const width = Math.max(1, Math.round((call.durationMs / longest) * 100));
    const failedClass = failed ? ' failed' : '';
    return markup`<tr class="call" data-name="${call.name}" data-status="${call.status ?? ''}" data-outcome="${call.outcome}">
<td>${index + 1}</td>
<td><strong>${call.name}</strong><br><span class="muted">${callNote(call)}</span></td>
<td class="hide-narrow"><code>${call.url}</code></td>
<td>${outcomePill(call, failed)}</td>
<td class="nowrap">${call.durationMs} ms<div class="bar${failedClass}" style="width:${width}%"></div></td>
</tr>
`;
  });
  return markup`<div class="scroll"><table id="timeline">
<tr><th>#</th><th>Call</th><th class="hide-narrow">URL</th><th>Outcome</th><th>Time</th></tr>
${rows}</table></div>`;
};

/** One order for every token set: core's refresh puts refresh_token first. */
const tokenOrder = [
  'access_token',
  'refresh_token',
  'id_token',
  'expires_in',
  'scope',
  'token_type',
];
const orderOf = (key: string) => {
  const index = tokenOrder.indexOf(key);
  return index === -1 ? tokenOrder.length : index;
};

const tokenTable = (tokens: TokenResponse): Html => {
  const secretKeys = new Set(['access_token', 'refresh_token', 'id_token']);
  const rows = Object.entries(tokens)
    .filter(([, value]) => value !== undefined)
    .sort(([one], [other]) => orderOf(one) - orderOf(other))
    .map(([key, value]) => {
      const text = String(value);
      const shown = secretKeys.has(key) ? mask(text) : text;
      return markup`<tr><th>${key}</th><td><code id="token-${key.replaceAll('_', '-')}">${shown}</code></td></tr>
`;
    });
  return markup`<table id="tokens">${rows}</table>`;
};

const userBanner = (user: SocialUserInfo): Html => {
  const initial = Array.from(user.name ?? '?')[0] ?? '?';
  const avatar = user.avatar
    ? markup`<img id="user-avatar" src="${user.avatar}" alt="">`
    : markup`<span class="placeholder" id="user-avatar-none">${initial}</span>`;
  return markup`<div class="banner ok" id="signed-in">${avatar}
<div><span class="muted">Signed in as</span><strong id="user-name">${user.name ?? '(no name)'}</strong></div></div>
<dl class="facts">
<dt>id</dt><dd><code id="user-id">${user.id}</code></dd>
<dt>name</dt><dd id="user-name-field">${user.name ?? '—'}</dd>
<dt>email</dt><dd id="user-email">${user.email ?? '—'}</dd>
<dt>phone</dt><dd id="user-phone">${user.phone ?? '—'}</dd>
<dt>avatar</dt><dd><code>${user.avatar ?? '—'}</code></dd>
</dl>`;
};

const errorTitles: Record<ShownError['by'], string> = {
  connector: 'ConnectorError',
  'sign-in page': 'Refused by Logto’s sign-in page, before the connector',
  Logto: 'Refused by Logto core (a RequestError)',
  'Xiaomi SDK': 'Refused by Xiaomi’s SDK on the phone, before Logto',
  other: 'Not a ConnectorError',
};

const errorCard = (
  error: ShownError,
  summary: Html,
): Html => markup`<section class="card" id="error">
<div class="banner bad"><div><span class="muted" id="error-by">${errorTitles[error.by]}</span><strong><span class="error-code" id="error-code">${error.code}</span></strong></div></div>
${summary}
<dl class="facts">
<dt>description</dt><dd id="error-description">${error.description}</dd>
${error.xiaomiCode && markup`<dt>Xiaomi code</dt><dd><code id="error-xiaomi-code">${error.xiaomiCode}</code></dd>`}
</dl>
<h2>error.data</h2>
<pre id="error-data">${json(error.data)}</pre>
</section>`;

const callbackCard = (outcome: Outcome): Html | undefined =>
  outcome.callbackQuery &&
  markup`<section class="card" id="callback">
<h2>Callback query, as Xiaomi sent it (the code masked)</h2>
<pre id="callback-query">${json(outcome.callbackQuery)}</pre>
<h2 style="margin-top:16px">state</h2>
<p id="state-check">${outcome.stateCheck}</p>
${
  outcome.connectorData &&
  markup`<h2 style="margin-top:16px">connectorData handed to <code>${outcome.method}</code> (the code masked)</h2>
<pre id="connector-data">${json(outcome.connectorData)}</pre>`
}
</section>`;

export type ResultPageInput = {
  header: HeaderInput;
  outcome: Outcome;
  /** Offered only on the page of the sign-in or refresh whose token set the session keeps. */
  canRefresh: boolean;
  /** What to do about the error in this playground. */
  advice?: Advice;
};

const rotation = (rotated: boolean | undefined): Html | undefined =>
  rotated === undefined
    ? undefined
    : markup`<p id="refresh-token-rotation">${
        rotated
          ? 'Xiaomi sent a new refresh token: the one used no longer works, and Logto stores the new one.'
          : 'Xiaomi sent no new refresh token: Logto keeps the one it has.'
      }</p>`;

const actionTitles: Record<Outcome['action'], string> = {
  authorize: 'Building the authorization URL',
  'sign-in': 'Sign-in callback',
  refresh: 'Token refresh',
  android: 'Android app: Xiaomi’s SDK, then Logto’s Experience API',
};

export const resultPage = ({ header, outcome, canRefresh, advice }: ResultPageInput): string => {
  const { error, userInfo, tokenResponse, leaks = [] } = outcome;
  const summary = markup`<p class="muted">${actionTitles[outcome.action]} · <code id="method">${outcome.method}</code> · ${outcome.durationMs} ms · ${new Date(outcome.at).toISOString()}</p>`;
  const sections: (Html | undefined | false)[] = [
    error && errorCard(error, summary),
    advice && adviceCard(advice),
    leaks.length > 0 &&
      markup`<p class="warn" id="leak-warning">Secrets found where Logto stores or logs them: ${leaks.join('; ')}.</p>`,
  ];

  if (userInfo) {
    const { rawData, ...visible } = userInfo;
    sections.push(markup`<section class="card" id="user">
${userBanner(userInfo)}
${summary}
<h2 style="margin-top:16px">User info Logto gets</h2>
<pre id="user-info">${json(visible)}</pre>
<h2 style="margin-top:16px">rawData (stored with the identity, shown to admins)</h2>
<pre id="raw-data">${json(rawData ?? null)}</pre>
</section>`);
  } else if (!error) {
    sections.push(
      markup`<section class="card" id="refreshed"><div class="banner ok"><div><strong>Token refreshed</strong></div></div>
${rotation(outcome.refreshTokenRotated)}
${summary}</section>`,
    );
  }

  if (tokenResponse) {
    sections.push(markup`<section class="card" id="token-set">
<h2>Token set Logto would store (secrets masked)</h2>
${tokenTable(tokenResponse)}
</section>`);
  }

  sections.push(
    outcome.appSteps && appStepsCard(outcome.appSteps),
    callbackCard(outcome),
    markup`<section class="card">
<h2>Calls to Xiaomi</h2>
${timeline(outcome.calls)}
</section>`,
    markup`<section class="card actions">
<a class="button primary" href="/" id="again">Back to the config</a>
${outcome.action === 'android' && markup`<a class="button secondary" href="/android" id="android-again">Back to the Android app</a>`}
${canRefresh && markup`<form method="post" action="/refresh"><button type="submit" class="secondary" id="refresh">Refresh the token</button></form>`}
</section>`,
  );

  return layout(
    header,
    error ? `Error ${error.code}` : 'Signed in',
    markup`<div id="result" data-outcome="${error ? 'error' : 'ok'}" data-action="${outcome.action}" style="display:grid;gap:16px">
${sections.map(
  (section) =>
    section &&
    markup`${section}
`,
)}</div>`,
  );
};
