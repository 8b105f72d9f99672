/** The playground's page frame and shared bits: plain markup and CSS, no script. */
import { markup, page, textFonts, trustedHtml, type Html } from '../../simulator/web/html.js';

import type { HeaderInput } from './types.js';

const styles = `
:root { --accent: #ff6900; --accent-dark: #e55e00; --ink: #1c1d21; --muted: #5f6368; --line: #e4e5e8;
  --bg: #f4f5f7; --ok: #1e8e3e; --ok-bg: #e6f4ea; --bad: #b3261e; --bad-bg: #fdecea; --code-bg: #f1f3f4; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 ${textFonts}; }
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
/* align-content: start keeps each input its own height in a row with a taller field. */
label.field { display: grid; gap: 4px; align-content: start; font-size: 13px; color: var(--muted); }
.label code.key { font-size: 12px; }
.required { font-size: 11px; border-radius: 4px; padding: 0 5px; background: var(--code-bg); color: var(--muted); }
input[type=text], input[type=password], input[type=number], input[type=url] { font: inherit; color: var(--ink);
  padding: 9px 11px; border: 1px solid #cfd2d6; border-radius: 8px; width: 100%; background: #fff; }
input:focus { outline: 2px solid var(--accent); outline-offset: 0; border-color: transparent; }
label.check { display: flex; align-items: flex-start; gap: 8px; font-size: 14px; }
label.check input { accent-color: var(--accent); width: 17px; height: 17px; margin: 2px 0 0; flex: none; }
label.check small { display: block; color: var(--muted); font-size: 12px; }
label.field small { font-size: 12px; }
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
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 7px 6px; border-bottom: 1px solid var(--line); vertical-align: top; font-size: 14px; }
th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .03em;
  white-space: nowrap; }
#tokens th { width: 1%; padding-right: 24px; }
td.nowrap { white-space: nowrap; }
td code { overflow-wrap: anywhere; }
ol.steps { margin: 0; padding-left: 22px; display: grid; gap: 14px; }
ol.steps pre { margin-top: 6px; }
ol.steps code, #app-calls p code { overflow-wrap: anywhere; }
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

export const layout = (header: HeaderInput, title: string, body: Html): string =>
  page({
    title,
    styles,
    body: markup`<header class="top">
${header.logo.startsWith('data:image/') && markup`<img src="${header.logo}" alt="">`}
<a href="/">${header.connectorName} connector playground</a>
<span class="mode ${header.mode}" id="mode">${header.mode === 'simulator' ? 'Simulated Xiaomi' : 'Real Xiaomi'}</span>
</header>
<main>
${body}
</main>`,
  });

/** A value as indented JSON (escaped where it is put into markup). */
export const json = (value: unknown): string => JSON.stringify(value, null, 2) ?? 'undefined';

/** First 4 characters and an ellipsis: enough to tell tokens apart, not to use them. */
export const mask = (value: string): string => (value.length > 4 ? `${value.slice(0, 4)}…` : '…');

/** ` checked` when on: a boolean attribute. */
export const checked = (on: boolean): Html | false => on && trustedHtml(' checked');

/** A request the playground refused or failed on (HTTP 4xx or 500), with a way back. */
export const requestErrorPage = (header: HeaderInput, status: number, message: string): string =>
  layout(
    header,
    `Error ${status}`,
    markup`<section class="card" id="request-error" data-status="${status}">
<div class="banner bad"><div><span class="muted">${status === 500 ? 'The playground failed' : 'Request refused'}</span><strong><span class="error-code">HTTP ${status}</span></strong></div></div>
<p id="request-error-message">${message}</p>
<div class="actions"><a class="button primary" href="/" id="back">Back to the playground</a></div>
</section>`,
  );

export const notFoundPage = (header: HeaderInput): string =>
  layout(
    header,
    'Not found',
    markup`<section class="card"><h1>Not found</h1><p><a href="/">Back to the playground</a></p></section>`,
  );
