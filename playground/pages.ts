/** The playground's HTML: plain markup and CSS, no script. Every value goes through escapeHtml. */
import type { SocialUserInfo, TokenResponse } from '@logto/connector-kit';

import { escapeHtml } from '../simulator/html.js';
import type { SimulatorFaults } from '../simulator/index.js';
import type { XiaomiCall } from '../src/index.js';

import { adviceFor } from './advice.js';

export type PlaygroundMode = 'simulator' | 'real';

export type PlaygroundSettings = {
  clientId: string;
  /** Never rendered into a page. */
  clientSecret: string;
  scope: string;
  skipConfirm: boolean;
  redirectUri: string;
  /** Logto's "store tokens" switch: getTokenResponseAndUserInfo instead of getUserInfo. */
  tokenStorage: boolean;
  timeoutMs: number;
};

export type ShownError = {
  /** ConnectorError code, or the error's name when it is not a ConnectorError. */
  code: string;
  isConnectorError: boolean;
  description: string;
  xiaomiCode?: string;
  data: unknown;
};

export type Outcome = {
  action: 'authorize' | 'sign-in' | 'refresh';
  /** The connector method the playground called. */
  method: string;
  at: number;
  durationMs: number;
  calls: XiaomiCall[];
  callbackQuery?: Record<string, string>;
  userInfo?: SocialUserInfo;
  tokenResponse?: TokenResponse;
  error?: ShownError;
  /** Secrets (tokens, App Secret, code) found in what Logto would store or log: must stay empty. */
  leaks?: string[];
};

export type HeaderInput = {
  mode: PlaygroundMode;
  connectorName: string;
  logo: string;
};

const styles = `
:root { --accent: #ff6900; --accent-dark: #e55e00; --ink: #1c1d21; --muted: #5f6368; --line: #e4e5e8;
  --bg: #f4f5f7; --ok: #1e8e3e; --ok-bg: #e6f4ea; --bad: #b3261e; --bad-bg: #fdecea; --code-bg: #f1f3f4; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "PingFang SC", "Noto Sans CJK SC",
  sans-serif; }
a { color: var(--accent-dark); }
.top { display: flex; align-items: center; gap: 12px; padding: 12px 20px; background: var(--ink); color: #fff; }
.top img { width: 32px; height: 32px; border-radius: 8px; background: #fff; }
.top a { color: #fff; text-decoration: none; font-weight: 600; }
.mode { margin-left: auto; white-space: nowrap; font-size: 12px; border-radius: 999px; padding: 2px 10px; background: #3c4043; }
.mode.real { background: var(--accent); }
main { max-width: 860px; margin: 0 auto; padding: 20px 16px 40px; display: grid; gap: 16px; }
.card { background: #fff; border-radius: 14px; padding: 20px; box-shadow: 0 1px 2px rgba(0,0,0,.06); min-width: 0; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 12px; }
.muted { color: var(--muted); font-size: 13px; }
fieldset { border: 0; padding: 0; margin: 0 0 18px; min-width: 0; }
legend { font-weight: 600; margin-bottom: 10px; padding: 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 12px 16px; }
label.field { display: grid; gap: 4px; font-size: 13px; color: var(--muted); }
input[type=text], input[type=password], input[type=number], input[type=url] { font: inherit; color: var(--ink);
  padding: 9px 11px; border: 1px solid #cfd2d6; border-radius: 8px; width: 100%; background: #fff; }
input:focus { outline: 2px solid var(--accent); outline-offset: 0; border-color: transparent; }
label.check { display: flex; align-items: flex-start; gap: 8px; font-size: 14px; }
label.check input { accent-color: var(--accent); width: 17px; height: 17px; margin: 2px 0 0; flex: none; }
label.check small { display: block; color: var(--muted); font-size: 12px; }
.actions { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
button, .button { font: inherit; font-weight: 600; border-radius: 999px; padding: 10px 20px; cursor: pointer;
  border: 1px solid transparent; text-decoration: none; display: inline-flex; align-items: center; gap: 8px; }
.primary { background: var(--accent); color: #fff; }
.primary:hover { background: var(--accent-dark); }
.secondary { background: #fff; color: var(--ink); border-color: #cfd2d6; }
.mi { display: inline-grid; place-items: center; width: 22px; height: 22px; border-radius: 6px; background: #fff;
  color: var(--accent); font-size: 11px; font-weight: 800; }
.banner { border-radius: 12px; padding: 14px 16px; display: flex; gap: 14px; align-items: center; }
.banner.ok { background: var(--ok-bg); color: #0d652d; }
.banner.bad { background: var(--bad-bg); color: var(--bad); }
.banner img, .banner .placeholder { width: 56px; height: 56px; border-radius: 50%; flex: none; background: #fff; }
.banner .placeholder { display: inline-grid; place-items: center; color: var(--muted); font-weight: 700; }
.banner strong { font-size: 18px; display: block; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 16px 0 0; }
dl.facts dt { color: var(--muted); font-size: 13px; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--code-bg); border-radius: 8px; padding: 12px; margin: 0; overflow-x: auto;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.error-code { display: inline-block; background: var(--bad); color: #fff; border-radius: 6px; padding: 2px 8px;
  font: 600 13px/1.6 ui-monospace, Menlo, monospace; }
.advice { border-left: 4px solid var(--accent); background: #fff6ef; padding: 10px 14px; border-radius: 0 8px 8px 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 7px 6px; border-bottom: 1px solid var(--line); vertical-align: top; font-size: 14px; }
th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .03em;
  white-space: nowrap; }
#tokens th { width: 1%; padding-right: 24px; }
td.nowrap { white-space: nowrap; }
td code { overflow-wrap: anywhere; }
.scroll { overflow-x: auto; }
.bar { height: 6px; border-radius: 3px; background: var(--accent); min-width: 2px; margin-top: 4px; }
.bar.failed { background: var(--bad); }
.pill { display: inline-block; white-space: nowrap; font-size: 12px; border-radius: 999px; padding: 1px 8px; background: var(--ok-bg); color: #0d652d; }
.pill.failed { background: var(--bad-bg); color: var(--bad); }
.warn { background: var(--bad-bg); color: var(--bad); border-radius: 8px; padding: 10px 14px; font-weight: 600; }
@media (max-width: 520px) {
  .hide-narrow { display: none; }
  main { padding: 12px 10px 32px; }
  .card { padding: 16px 14px; }
  dl.facts { grid-template-columns: 1fr; gap: 0 0; }
  dl.facts dd { margin-bottom: 8px; }
}
`;

const layout = (header: HeaderInput, title: string, body: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
<header class="top">
${header.logo.startsWith('data:image/') ? `<img src="${escapeHtml(header.logo)}" alt="">` : ''}
<a href="/">${escapeHtml(header.connectorName)} connector playground</a>
<span class="mode ${header.mode}" id="mode">${header.mode === 'simulator' ? 'Simulated Xiaomi' : 'Real Xiaomi'}</span>
</header>
<main>
${body}
</main>
</body>
</html>`;

const json = (value: unknown): string => escapeHtml(JSON.stringify(value, null, 2) ?? 'undefined');

/** First 4 characters and an ellipsis: enough to tell tokens apart, not to use them. */
export const mask = (value: string): string => (value.length > 4 ? `${value.slice(0, 4)}…` : '…');

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

export type IndexPageInput = {
  header: HeaderInput;
  connector: { id: string; target: string; packageName: string; packageVersion: string };
  settings: PlaygroundSettings;
  secretIsSet: boolean;
  faults?: SimulatorFaults;
  simulatorUrl?: string;
  callbackUrl: string;
  hasResult: boolean;
  notice?: string;
};

export const indexPage = (input: IndexPageInput): string => {
  const { settings } = input;
  const faults = input.faults
    ? `<fieldset id="faults">
<legend>Fault switches <span class="muted">(sent to the simulator)</span></legend>
<div class="grid">
${faultInputs
  .map(
    ({ key, label, hint }) => `<label class="check" for="fault-${key}">
<input type="checkbox" id="fault-${key}" name="fault.${key}" value="true"${input.faults?.[key] === true ? ' checked' : ''}>
<span>${escapeHtml(label)}<small>${escapeHtml(hint)}</small></span></label>`,
  )
  .join('\n')}
<label class="field" for="fault-delayMs">Delay before each API answer (ms)
<input type="number" id="fault-delayMs" name="fault.delayMs" min="0" step="50" value="${escapeHtml(String(input.faults.delayMs ?? 0))}"></label>
</div>
</fieldset>`
    : '';
  return layout(
    input.header,
    'Xiaomi connector playground',
    `<section class="card">
<h1>Sign in with Xiaomi, the way Logto does it</h1>
<p class="muted">Loaded <code>${escapeHtml(input.connector.packageName)}@${escapeHtml(input.connector.packageVersion)}</code>
with Logto's connector loader · factory <code>${escapeHtml(input.connector.id)}</code> · target <code>${escapeHtml(input.connector.target)}</code>
${input.simulatorUrl ? ` · simulator at <a href="${escapeHtml(input.simulatorUrl)}">${escapeHtml(input.simulatorUrl)}</a>` : ''}</p>
${input.notice ? `<p class="warn" id="notice">${escapeHtml(input.notice)}</p>` : ''}
${input.hasResult ? '<p><a href="/result" id="last-result">Show the last result</a></p>' : ''}
</section>
<form class="card" id="config-form" method="post" action="/sign-in">
<fieldset>
<legend>Connector config</legend>
<div class="grid">
<label class="field" for="client-id">App ID (clientId)
<input type="text" id="client-id" name="clientId" inputmode="numeric" autocomplete="off" value="${escapeHtml(settings.clientId)}"></label>
<label class="field" for="client-secret">App Secret (clientSecret)
<input type="password" id="client-secret" name="clientSecret" autocomplete="off" placeholder="${input.secretIsSet ? 'set: leave empty to keep it' : 'not set'}"></label>
<label class="field" for="scope">Scope (space-separated ids)
<input type="text" id="scope" name="scope" autocomplete="off" placeholder="1 3" value="${escapeHtml(settings.scope)}"></label>
<label class="field" for="redirect-uri">Registered callback URL (redirectUri, for refresh)
<input type="url" id="redirect-uri" name="redirectUri" autocomplete="off" value="${escapeHtml(settings.redirectUri)}"></label>
<label class="check" for="skip-confirm"><input type="checkbox" id="skip-confirm" name="skipConfirm" value="true"${settings.skipConfirm ? ' checked' : ''}>
<span>Skip confirm<small>no consent page for a remembered Xiaomi account</small></span></label>
</div>
</fieldset>
<fieldset>
<legend>Logto side</legend>
<div class="grid">
<label class="check" for="token-storage"><input type="checkbox" id="token-storage" name="tokenStorage" value="true"${settings.tokenStorage ? ' checked' : ''}>
<span>Store tokens<small>calls getTokenResponseAndUserInfo instead of getUserInfo</small></span></label>
<label class="field" for="timeout-ms">Connector timeout (ms)
<input type="number" id="timeout-ms" name="timeoutMs" min="100" step="100" value="${escapeHtml(String(settings.timeoutMs))}"></label>
</div>
<p class="muted">Callback: <code id="callback-url">${escapeHtml(input.callbackUrl)}</code></p>
</fieldset>
${faults}
<div class="actions">
<button type="submit" class="primary" id="sign-in"><span class="mi" aria-hidden="true">mi</span>Sign in with Xiaomi</button>
</div>
</form>`,
  );
};

const timeline = (calls: XiaomiCall[]): string => {
  if (calls.length === 0) {
    return '<p class="muted" id="timeline-empty">No call to Xiaomi was made.</p>';
  }
  const longest = Math.max(1, ...calls.map((call) => call.durationMs));
  const rows = calls
    .map((call, index) => {
      const failed = call.outcome !== 'ok' && !/^HTTP 2\d\d$/.test(call.outcome);
      const width = Math.max(1, Math.round((call.durationMs / longest) * 100));
      return `<tr class="call" data-name="${escapeHtml(call.name)}" data-status="${escapeHtml(String(call.status ?? ''))}" data-outcome="${escapeHtml(call.outcome)}">
<td>${index + 1}</td>
<td><strong>${escapeHtml(call.name)}</strong><br><span class="muted">${escapeHtml(call.method)} · attempt ${escapeHtml(String(call.attempt))}</span></td>
<td class="hide-narrow"><code>${escapeHtml(call.url)}</code></td>
<td><span class="pill${failed ? ' failed' : ''}">${escapeHtml(call.outcome)}</span></td>
<td class="nowrap">${escapeHtml(String(call.durationMs))} ms<div class="bar${failed ? ' failed' : ''}" style="width:${width}%"></div></td>
</tr>`;
    })
    .join('\n');
  return `<div class="scroll"><table id="timeline">
<tr><th>#</th><th>Call</th><th class="hide-narrow">URL</th><th>Outcome</th><th>Time</th></tr>
${rows}
</table></div>`;
};

const tokenTable = (tokens: TokenResponse): string => {
  const secretKeys = new Set(['access_token', 'refresh_token', 'id_token']);
  const rows = Object.entries(tokens)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const text = String(value);
      const shown = secretKeys.has(key) ? mask(text) : text;
      return `<tr><th>${escapeHtml(key)}</th><td><code id="token-${escapeHtml(key.replaceAll('_', '-'))}">${escapeHtml(shown)}</code></td></tr>`;
    })
    .join('\n');
  return `<table id="tokens">${rows}</table>`;
};

const userBanner = (user: SocialUserInfo): string => {
  const initial = Array.from(user.name ?? '?')[0] ?? '?';
  const avatar = user.avatar
    ? `<img id="user-avatar" src="${escapeHtml(user.avatar)}" alt="">`
    : `<span class="placeholder" id="user-avatar-none">${escapeHtml(initial)}</span>`;
  return `<div class="banner ok" id="signed-in">${avatar}
<div><span class="muted">Signed in as</span><strong id="user-name">${escapeHtml(user.name ?? '(no name)')}</strong></div></div>
<dl class="facts">
<dt>id</dt><dd><code id="user-id">${escapeHtml(user.id)}</code></dd>
<dt>name</dt><dd id="user-name-field">${escapeHtml(user.name ?? '—')}</dd>
<dt>email</dt><dd id="user-email">${escapeHtml(user.email ?? '—')}</dd>
<dt>phone</dt><dd id="user-phone">${escapeHtml(user.phone ?? '—')}</dd>
<dt>avatar</dt><dd><code>${escapeHtml(user.avatar ?? '—')}</code></dd>
</dl>`;
};

export type ResultPageInput = {
  header: HeaderInput;
  outcome: Outcome;
  canRefresh: boolean;
};

const actionTitles: Record<Outcome['action'], string> = {
  authorize: 'Building the authorization URL',
  'sign-in': 'Sign-in callback',
  refresh: 'Token refresh',
};

export const resultPage = ({ header, outcome, canRefresh }: ResultPageInput): string => {
  const { error, userInfo, tokenResponse } = outcome;
  const sections: string[] = [];
  const summary = `<p class="muted">${escapeHtml(actionTitles[outcome.action])} · <code id="method">${escapeHtml(outcome.method)}</code> · ${escapeHtml(String(outcome.durationMs))} ms · ${escapeHtml(new Date(outcome.at).toISOString())}</p>`;

  if (error) {
    sections.push(`<section class="card" id="error">
<div class="banner bad"><div><span class="muted">ConnectorError</span><strong>${error.isConnectorError ? '' : 'Not a ConnectorError: '}<span class="error-code" id="error-code">${escapeHtml(error.code)}</span></strong></div></div>
${summary}
<dl class="facts">
<dt>description</dt><dd id="error-description">${escapeHtml(error.description)}</dd>
${error.xiaomiCode ? `<dt>Xiaomi code</dt><dd><code id="error-xiaomi-code">${escapeHtml(error.xiaomiCode)}</code></dd>` : ''}
</dl>
<h2 style="margin-top:16px">What an admin would do</h2>
<p class="advice" id="error-advice">${escapeHtml(adviceFor(error.code, error.xiaomiCode))}</p>
<h2>error.data</h2>
<pre id="error-data">${json(error.data)}</pre>
</section>`);
  }

  if (outcome.leaks && outcome.leaks.length > 0) {
    sections.push(
      `<p class="warn" id="leak-warning">Secrets found where Logto stores or logs them: ${escapeHtml(outcome.leaks.join('; '))}.</p>`,
    );
  }

  if (userInfo) {
    const { rawData, ...visible } = userInfo;
    sections.push(`<section class="card" id="user">
${userBanner(userInfo)}
${summary}
<h2 style="margin-top:16px">User info Logto gets</h2>
<pre id="user-info">${json(visible)}</pre>
<h2 style="margin-top:16px">rawData (stored with the identity, shown to admins)</h2>
<pre id="raw-data">${json(rawData ?? null)}</pre>
</section>`);
  } else if (!error) {
    sections.push(
      `<section class="card" id="refreshed"><div class="banner ok"><div><strong>Token refreshed</strong></div></div>${summary}</section>`,
    );
  }

  if (tokenResponse) {
    sections.push(`<section class="card" id="token-set">
<h2>Token set Logto would store (secrets masked)</h2>
${tokenTable(tokenResponse)}
</section>`);
  }

  sections.push(`<section class="card">
<h2>Calls to Xiaomi</h2>
${timeline(outcome.calls)}
${outcome.callbackQuery ? `<h2 style="margin-top:16px">Callback query</h2><pre id="callback-query">${json(outcome.callbackQuery)}</pre>` : ''}
</section>`);

  sections.push(`<section class="card actions">
<a class="button primary" href="/" id="again">Back to the config</a>
${canRefresh ? '<form method="post" action="/refresh"><button type="submit" class="secondary" id="refresh">Refresh the token</button></form>' : ''}
</section>`);

  return layout(
    header,
    error ? `Error ${error.code}` : 'Signed in',
    `<div id="result" data-outcome="${error ? 'error' : 'ok'}" data-action="${escapeHtml(outcome.action)}" style="display:grid;gap:16px">
${sections.join('\n')}
</div>`,
  );
};

export const notFoundPage = (header: HeaderInput): string =>
  layout(
    header,
    'Not found',
    '<section class="card"><h1>Not found</h1><p><a href="/">Back to the playground</a></p></section>',
  );
