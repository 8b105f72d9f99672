/**
 * What to do in this playground about an error, where the connector's own message (written for
 * an admin in Logto's Console) cannot know it: a way back to a config that works.
 */
import { markup, type Html } from '../../simulator/web/html.js';

/**
 * Why Xiaomi answered 96003 here: the "Wrong secret" switch, or an App Secret typed on the config
 * page that is not the app's (the field stays empty once a secret is stored, so it cannot be seen).
 */
export type Advice = 'wrong-secret-switch' | 'stored-secret';

const cards: Record<Advice, Html> = {
  'wrong-secret-switch': markup`<p>In this playground, the “Wrong secret” fault switch is on: the simulated Xiaomi answers 96003 whatever the secret. Turn it off on the config page.</p>
<div class="actions"><a class="button secondary" href="/">Back to the config</a></div>`,
  'stored-secret': markup`<p>In this playground, the App Secret stored for this browser is not the one it started with: a secret typed on the config page replaces it, and the field stays empty afterwards. Reset the connector config to get back the App ID and App Secret the playground started with, or type the right secret on the config page.</p>
<form class="actions" method="post" action="/reset-config"><button type="submit" class="secondary" id="advice-reset-config">Reset the connector config</button></form>`,
};

export const adviceCard = (advice: Advice): Html =>
  markup`<section class="card" id="advice" data-advice="${advice}">
<h2>What to do here</h2>
${cards[advice]}
</section>`;
