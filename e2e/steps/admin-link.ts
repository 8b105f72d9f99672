/**
 * An admin links a Xiaomi identity to an existing user: POST /connectors/:id/authorization-uri,
 * the user approves at Xiaomi, then POST /users/:userId/identities with the callback's data (Logto
 * calls the connector with a setSession/getSession that throw: routes/connector/authorization-uri.ts
 * and routes/admin-user/social.ts in logto-io/logto).
 */
import type { SimulatorAccount } from '../../simulator/index.js';

import { openJourney } from '../browser.js';
import { showAppResult } from '../end-user.js';
import { randomState } from '../oidc-app.js';
import { expectXiaomiIdentity, stepNames, target, type World } from '../world.js';

export const adminLinksIdentity = async (world: World, account: SimulatorAccount) =>
  world.report.step(stepNames.adminLink, async () => {
    const { api, browser, simulator, camera, connectorId, adminRedirectUri } = world;
    const user = await api.createUser({ username: 'existing_user', name: 'Existing user' });
    const state = randomState();
    const { redirectTo } = await api.authorizationUri(connectorId, {
      state,
      redirectUri: adminRedirectUri,
    });
    const journey = await openJourney(browser, {
      simulatorUrl: simulator.baseUrl,
      capture: [adminRedirectUri],
    });
    try {
      await journey.page.goto(redirectTo);
      await journey.page.locator('#allow').waitFor({ timeout: 30_000 });
      await journey.page.check(`input[name=account][value="${account.userId}"]`);
      await camera.shoot(journey.page, 'admin-link-xiaomi-consent');
      await journey.page.click('#allow');
      const callback = await journey.captures.waitFor(adminRedirectUri, 30_000);
      // As Logto's own integration test does: the callback's query plus the redirect URI.
      const identities = await api.linkIdentity(user.id, {
        connectorId,
        connectorData: {
          ...Object.fromEntries(callback.searchParams),
          redirectUri: adminRedirectUri,
        },
      });
      if (identities[target]?.userId !== account.unionId) {
        throw new Error(`identities after linking: ${JSON.stringify(identities)}`);
      }
      await expectXiaomiIdentity(api, user.id, account);
      await showAppResult(journey, camera, { label: 'admin-link', title: 'Identity linked' }, [
        ['user', `${user.id} (${user.username ?? ''})`],
        ['identities.xiaomi.userId', identities[target]?.userId ?? '(none)'],
      ]);
      return {
        detail: `authorization-uri → Xiaomi consent → POST /users/${user.id}/identities: identities.xiaomi.userId = ${account.unionId}`,
        value: true,
      };
    } finally {
      await journey.context.close();
    }
  });
