/**
 * The simulator's HTML pages and SVG avatars, built with the `markup` tag: every value is escaped.
 */
import type { BackLink } from './back-link.js';
import { errorNames, scopeDescriptions, type ErrorCode, type SimulatorAccount } from './data.js';
import { markup, page, textFonts, trustedHtml, type Html } from './web/html.js';

const styles = `
:root { --accent: #ff6900; --accent-dark: #e55e00; --text: #1f1f1f; --muted: #6b6b6b;
  --line: #ececec; --bg: #f5f5f5; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 16px/1.5 ${textFonts}; }
.top { display: flex; align-items: center; gap: 10px; padding: 14px 20px; background: #fff;
  border-bottom: 1px solid var(--line); }
.logo { display: inline-grid; place-items: center; width: 32px; height: 32px; border-radius: 9px;
  background: var(--accent); color: #fff; font-weight: 700; font-size: 15px; letter-spacing: -0.5px; }
.top .title { font-weight: 600; }
.badge { margin-left: auto; font-size: 12px; color: var(--accent-dark); border: 1px solid var(--accent);
  border-radius: 999px; padding: 1px 10px; }
main { max-width: 440px; margin: 24px auto; padding: 0 16px; }
.card { background: #fff; border-radius: 16px; padding: 24px 20px; box-shadow: 0 1px 3px rgba(0,0,0,.06); }
h1 { font-size: 20px; line-height: 1.35; margin: 0 0 4px; }
h2 { font-size: 13px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em;
  color: var(--muted); margin: 22px 0 8px; }
.muted { color: var(--muted); font-size: 14px; margin: 0; }
ul { list-style: none; margin: 0; padding: 0; }
.accounts li + li { margin-top: 8px; }
.account { display: flex; align-items: center; gap: 12px; padding: 10px 12px; border: 1px solid var(--line);
  border-radius: 12px; cursor: pointer; }
.account:has(input:checked) { border-color: var(--accent); background: #fff6ef; }
.account input { accent-color: var(--accent); width: 18px; height: 18px; margin: 0; flex: none; }
.avatar { width: 40px; height: 40px; border-radius: 50%; flex: none; object-fit: cover; }
.avatar.none { display: inline-grid; place-items: center; background: #d9d9d9; color: #fff; font-weight: 600; }
.who { display: flex; flex-direction: column; min-width: 0; }
.who strong { font-weight: 600; overflow-wrap: anywhere; }
.who small { color: var(--muted); font-size: 13px; }
.scopes li { display: flex; gap: 10px; padding: 6px 0; }
.scopes li::before { content: ""; flex: none; width: 8px; height: 8px; margin-top: 8px; border-radius: 50%;
  background: var(--accent); }
.scopes code { color: var(--muted); font-size: 12px; }
.actions { display: flex; gap: 12px; margin-top: 26px; }
button { flex: 1; font: inherit; font-weight: 600; padding: 12px 16px; border-radius: 999px; cursor: pointer;
  border: 1px solid transparent; }
.primary { background: var(--accent); color: #fff; }
.primary:hover { background: var(--accent-dark); }
.secondary { background: #fff; color: var(--text); border-color: #d6d6d6; }
.fine { font-size: 12px; color: var(--muted); margin-top: 16px; overflow-wrap: anywhere; }
.back { margin: 20px 0 0; }
.button { display: inline-block; font-weight: 600; padding: 10px 18px; border-radius: 999px; text-decoration: none; }
a.secondary { border: 1px solid #d6d6d6; }
.error-code { display: inline-block; font: 600 14px/1 ui-monospace, Menlo, monospace; color: #b3261e;
  background: #fdecea; border-radius: 6px; padding: 6px 8px; margin: 8px 0 12px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
td, th { text-align: left; padding: 6px 4px; border-bottom: 1px solid var(--line); vertical-align: top;
  overflow-wrap: anywhere; }
footer { text-align: center; font-size: 12px; color: var(--muted); padding: 8px 16px 32px; }
`;

const layout = (title: string, body: Html): string =>
  page({
    title,
    styles,
    body: markup`<header class="top"><span class="logo" aria-hidden="true">mi</span><span class="title">Xiaomi Account</span><span class="badge">Simulator</span></header>
<main>${body}</main>
<footer>A simulated Xiaomi account service for local testing. No real account or data is used.</footer>`,
  });

const firstCharacter = (value: string): string => Array.from(value.trim())[0]?.toUpperCase() ?? '?';

const avatarMarkup = (account: SimulatorAccount): Html =>
  account.icon
    ? markup`<img class="avatar" src="${account.icon}" alt="" width="40" height="40">`
    : markup`<span class="avatar none" aria-hidden="true">${firstCharacter(account.nickname)}</span>`;

export type ConsentPageInput = {
  requestId: string;
  appName: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  accounts: SimulatorAccount[];
  selectedUserId?: string;
};

export const consentPage = (input: ConsentPageInput): string => {
  const selected =
    input.accounts.find((account) => account.userId === input.selectedUserId)?.userId ??
    input.accounts[0]?.userId;
  const accounts = input.accounts.map(
    (account) => markup`<li><label class="account" for="account-${account.userId}">
<input type="radio" name="account" id="account-${account.userId}" value="${account.userId}"${account.userId === selected && trustedHtml(' checked')}>
${avatarMarkup(account)}
<span class="who"><strong>${account.nickname}</strong><small>${account.label}</small></span>
</label></li>
`,
  );
  const scopes = input.scopes.map(
    (scope) =>
      markup`<li data-scope="${scope}"><span>${scopeDescriptions[scope] ?? 'Unknown permission'} <code>scope ${scope}</code></span></li>
`,
  );
  let redirectHost = input.redirectUri;
  try {
    redirectHost = new URL(input.redirectUri).host;
  } catch {
    // Already validated; keep the raw text if it does not parse.
  }
  return layout(
    `Authorize ${input.appName}`,
    markup`<form class="card" id="consent" method="post" action="/oauth2/authorize/decision">
<input type="hidden" name="request" value="${input.requestId}">
<h1><span id="app-name">${input.appName}</span> wants to use your Xiaomi account</h1>
<p class="muted">App ID ${input.clientId}</p>
<h2>Choose an account</h2>
<ul class="accounts" id="accounts">
${accounts}</ul>
<h2>The app will be able to see</h2>
<ul class="scopes" id="scopes">
${scopes}</ul>
<div class="actions">
<button type="submit" class="secondary" id="deny" name="decision" value="deny">Deny</button>
<button type="submit" class="primary" id="allow" name="decision" value="allow">Allow</button>
</div>
<p class="fine">You will be sent back to ${redirectHost}.</p>
</form>`,
  );
};

export const errorPage = (code: ErrorCode, description: string, back?: BackLink): string =>
  layout(
    `Error ${code}`,
    markup`<section class="card" id="error">
<h1>This request cannot be completed</h1>
<p class="error-code" id="error-code" data-code="${code}">${code} ${errorNames[code]}</p>
<p id="error-description">${description}</p>
<p class="fine">The app that sent you here has to fix its Xiaomi settings. You can close this page.</p>
${
  back &&
  markup`<p class="back"><a class="button secondary" id="back-link" href="${back.href}">${back.label}</a></p>
<p class="fine">Xiaomi’s own error page has no such link: the simulator adds it for the site that sent you.</p>`
}
</section>`,
  );

export const badGatewayPage = (): string => `<!doctype html>
<html><head><title>502 Bad Gateway</title></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>simulated-gateway</center></body></html>`;

export type IndexPageInput = {
  baseUrl: string;
  apps: {
    name: string;
    clientId: string;
    redirectUris: string[];
    allowedScopes: string[];
    kind?: 'web' | 'mobile';
    packageName?: string;
  }[];
  accounts: SimulatorAccount[];
};

export const indexPage = (input: IndexPageInput): string => {
  const apps = input.apps.map(
    (app) =>
      markup`<tr><td>${app.name}</td><td>${app.kind === 'mobile' ? markup`Mobile/Tablet${app.packageName && markup`<br><code>${app.packageName}</code>`}` : 'Web'}</td><td><code>${app.clientId}</code></td><td>${app.redirectUris.map(
        (uri, index) => markup`${index > 0 && trustedHtml('<br>')}<code>${uri}</code>`,
      )}</td><td>${app.allowedScopes.join(' ')}</td></tr>
`,
  );
  const accounts = input.accounts.map(
    (account) =>
      markup`<tr><td>${avatarMarkup(account)}</td><td>${account.nickname}<br><small>${account.label}</small></td><td><code>${account.unionId}</code></td></tr>
`,
  );
  return layout(
    'Xiaomi account simulator',
    markup`<section class="card">
<h1>Xiaomi account simulator</h1>
<p class="muted">Serves <code>/oauth2/authorize</code>, <code>/oauth2/token</code>, <code>/user/profile</code>,
<code>/user/openidV2</code> and <code>/user/phoneAndEmail</code> at ${input.baseUrl}.
Faults: <code>GET</code>/<code>POST /__simulator/faults</code> (JSON), one app's: <code>/__simulator/faults/{clientId}</code>.
A Mobile/Tablet app's code as Xiaomi's Android SDK gets it: <code>POST /__simulator/sdk-code</code> (JSON: <code>appId</code>, <code>redirectUrl</code>, <code>scope</code>, <code>state</code>, <code>account</code>).</p>
<h2>Apps</h2>
<table><tr><th>Name</th><th>Kind</th><th>App ID</th><th>Redirect URIs</th><th>Scopes</th></tr>${apps}</table>
<h2>Accounts</h2>
<table><tr><th></th><th>Nickname</th><th>unionId</th></tr>${accounts}</table>
</section>`,
  );
};

const avatarColors = ['#ff6900', '#2f80ed', '#27ae60', '#9b51e0', '#eb5757', '#f2994a'];

export const avatarSvg = (account: SimulatorAccount, size: number): string => {
  const digits = Array.from(account.userId).reduce((sum, char) => sum + char.charCodeAt(0), 0);
  const color = avatarColors[digits % avatarColors.length] ?? '#ff6900';
  return markup`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100" role="img" aria-label="${account.nickname}">
<rect width="100" height="100" fill="${color}"/>
<circle cx="50" cy="40" r="18" fill="#fff" fill-opacity=".9"/>
<path d="M18 92c4-20 18-30 32-30s28 10 32 30z" fill="#fff" fill-opacity=".9"/>
</svg>`.text;
};
