/**
 * Xiaomi never redirects an API call. A 307/308 from the token endpoint would make fetch POST the
 * client secret and the code to another host; a 301/302 from the profile would sign in that
 * host's user. Any 3xx ends the call as a named failure, and the other host hears nothing.
 */
import type { ServerResponse } from 'node:http';

import { ConnectorErrorCodes } from '@logto/connector-kit';
import { beforeEach, describe, expect, it } from 'vitest';

import {
  answer,
  connectorErrorOf,
  connectorFor,
  fake,
  leaksIn,
  openApiOk,
  signIn,
  tokenAnswer,
  tokenText,
  useHostileXiaomi,
} from './xiaomi.js';

const xiaomi = useHostileXiaomi();
const elsewhere = useHostileXiaomi();

beforeEach(() => {
  // The other host plays a Xiaomi with its own user: following it would sign in as them.
  elsewhere.on('POST /oauth2/token', answer(tokenText(tokenAnswer)));
  elsewhere.on('GET /user/profile', answer(openApiOk({ unionId: 'someone-else' })));
});

const redirectTo =
  (location: () => string, status: number) =>
  ({ response }: { response: ServerResponse }) => {
    response.writeHead(status, { location: location(), 'content-type': 'text/plain' });
    response.end('moved');
  };

type Row = { route: string; status: number; call: 'token' | 'profile' | 'refresh' };

const rows: Row[] = [
  ...[301, 302, 303, 307, 308].map((status) => ({
    route: 'POST /oauth2/token',
    status,
    call: 'token' as const,
  })),
  ...[301, 302, 303, 307, 308].map((status) => ({
    route: 'GET /user/profile',
    status,
    call: 'profile' as const,
  })),
  { route: 'POST /oauth2/token', status: 307, call: 'refresh' },
  { route: 'POST /oauth2/token', status: 308, call: 'refresh' },
];

describe('a redirect from Xiaomi', () => {
  it.each(rows)(
    '$status from $route ($call) is a named failure',
    async ({ route, status, call }) => {
      const path = route.split(' ')[1] ?? '';
      xiaomi.on(
        route,
        redirectTo(() => `${elsewhere.url}${path}?from=xiaomi`, status),
      );
      const connector = await connectorFor(xiaomi);

      const error = await connectorErrorOf(
        call === 'refresh'
          ? connector.getAccessTokenByRefreshToken!(fake.refreshToken)
          : signIn(connector),
      );

      expect(elsewhere.seen).toEqual([]);
      expect(error.code).toBe(ConnectorErrorCodes.InvalidResponse);
      expect(error.message).toContain(`HTTP ${status}`);
      expect(error.message).toContain('redirect');
      expect(error.message).toContain(new URL(elsewhere.url).host);
      expect(leaksIn(error.message + JSON.stringify(error.data))).toEqual([]);
    },
  );

  it('is not retried, even on a GET', async () => {
    xiaomi.on(
      'GET /user/profile',
      redirectTo(() => `${elsewhere.url}/user/profile`, 302),
    );
    const connector = await connectorFor(xiaomi);
    await connectorErrorOf(signIn(connector));
    expect(xiaomi.seen.filter(({ path }) => path === '/user/profile')).toHaveLength(1);
  });
});
