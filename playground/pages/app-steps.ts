/** The result page's card of an Android app's calls: each call, its body and its answer. */
import { markup, type Html } from '../../simulator/web/html.js';

import { json } from './layout.js';
import type { AppStep } from './types.js';

const stepTitles: Record<AppStep['id'], string> = {
  'authorization-uri': 'The app asks Logto to start the social verification',
  sdk: 'On the phone, Xiaomi’s SDK gets the code',
  verify: 'The app hands Logto the SDK’s result',
};

export const appStepsCard = (steps: AppStep[]): Html => markup`<section class="card" id="app-calls">
<h2>The Android app’s calls (the code masked)</h2>
<ol class="steps">
${steps.map(
  (step) => markup`<li class="step" data-step="${step.id}" data-to="${step.to}">
<strong>${stepTitles[step.id]}</strong><br><code class="call">${step.call}</code>
<pre class="body">${json(step.body)}</pre>
${step.answer === undefined ? markup`<p class="muted">No answer: it failed (see above).</p>` : markup`<span class="muted">Answer</span><pre class="answer">${json(step.answer)}</pre>`}
</li>
`,
)}</ol>
<p class="muted">Then, in a real Logto, the app ends the interaction: <code>POST /api/experience/identification</code> <code>{"verificationId"}</code> (a new user: <code>PUT /api/experience/interaction-event</code> <code>{"interactionEvent":"Register"}</code>, then identification again), <code>POST /api/experience/submit</code>, and follows <code>redirectTo</code> to its tokens. Logto core does that without the connector.</p>
</section>`;
