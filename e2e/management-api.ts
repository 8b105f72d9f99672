/**
 * Logto's Management API, the only way this test configures Logto. Its credentials come from a
 * machine-to-machine app with the seeded "Logto Management API access" role, inserted with SQL once
 * after the seed (before core starts): OSS Logto has no other way in without the Console.
 */
import { randomBytes } from 'node:crypto';

import ky, { type KyInstance } from 'ky';
import { z } from 'zod';

import type { Database } from './postgres.js';

const managementResource = 'https://default.logto.app/api';
const m2mAppId = 'e2e-management';

export type M2mCredentials = { clientId: string; clientSecret: string };

export const insertManagementApp = async (database: Database): Promise<M2mCredentials> => {
  const secret = randomBytes(24).toString('hex');
  await database.psql(`
    insert into applications (tenant_id, id, name, secret, description, type, oidc_client_metadata)
      values ('default', '${m2mAppId}', 'e2e Management API', '${secret}', 'npm run e2e:logto',
        'MachineToMachine', '{"redirectUris": [], "postLogoutRedirectUris": []}');
    insert into application_secrets (tenant_id, application_id, name, value)
      values ('default', '${m2mAppId}', 'e2e', '${secret}');
    insert into applications_roles (tenant_id, id, application_id, role_id)
      select 'default', 'e2e-management-role', '${m2mAppId}', id from roles
        where tenant_id = 'default' and name = 'Logto Management API access';
  `);
  return { clientId: m2mAppId, clientSecret: secret };
};

const tokenGuard = z.object({ access_token: z.string() });

/** Client credentials grant at Logto's token endpoint, with HTTP basic client authentication. */
export const clientCredentialsToken = async (
  endpoint: string,
  { clientId, clientSecret }: M2mCredentials,
): Promise<string> => {
  const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
  const body = await ky
    .post(`${endpoint}/oidc/token`, {
      headers: { authorization: `Basic ${basic}` },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        resource: managementResource,
        scope: 'all',
      }),
    })
    .json();
  return tokenGuard.parse(body).access_token;
};

/** Logto's error body (RequestError.toBody): `{ code, message }`, and a ConnectorError's `data`. */
const errorBodyGuard = z
  .object({ code: z.string(), message: z.string(), data: z.record(z.unknown()).optional() })
  .passthrough();

export class LogtoApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Logto's own message, as its answer gives it. */
    readonly logtoMessage: string,
    /** The ConnectorError's data Logto passes on (its errorDescription), when there is one. */
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** What came back from Logto, as any HTTP client reads it. */
export type LogtoAnswer = { method: string; path: string; status: number; text: string };

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Logto's code in an error answer ('unknown' when the body is not Logto's error shape). */
const errorCodeOf = (
  text: string,
): { code: string; message: string; data?: Record<string, unknown> } => {
  const error = errorBodyGuard.safeParse(safeJson(text));
  return error.success ? error.data : { code: 'unknown', message: text.slice(0, 300) };
};

/** A 2xx answer's body in the guard's shape; any other answer a LogtoApiError naming Logto's code. */
export const readLogtoAnswer = <T extends z.ZodTypeAny>(
  { method, path, status, text }: LogtoAnswer,
  guard: T,
): z.infer<T> => {
  if (status < 200 || status > 299) {
    const { code, message, data } = errorCodeOf(text);
    // A connector's own words come in data.errorDescription (middleware/koa-connector-error-handler.ts).
    const description = data?.errorDescription;
    throw new LogtoApiError(
      status,
      code,
      `${method.toUpperCase()} ${path} → ${status} ${code}: ${message}${typeof description === 'string' ? ` (the connector: "${description}")` : ''}`,
      message,
      data,
    );
  }
  return guard.parse(text ? JSON.parse(text) : undefined);
};

/** Calls Logto and checks the answer's shape; a refusal becomes a LogtoApiError naming Logto's code. */
export const callLogto = async <T extends z.ZodTypeAny>(
  client: KyInstance,
  method: 'get' | 'post' | 'patch' | 'put',
  path: string,
  guard: T,
  json?: unknown,
): Promise<z.infer<T>> => {
  const response = await client(path, { method, json, throwHttpErrors: false });
  return readLogtoAnswer(
    { method, path: `/${path}`, status: response.status, text: await response.text() },
    guard,
  );
};

export const identityGuard = z.object({ userId: z.string(), details: z.unknown().optional() });
export const userGuard = z.object({
  id: z.string(),
  username: z.string().nullable(),
  name: z.string().nullable(),
  avatar: z.string().nullable(),
  primaryEmail: z.string().nullable(),
  primaryPhone: z.string().nullable(),
  identities: z.record(identityGuard),
});
export type LogtoUser = z.infer<typeof userGuard>;

const connectorGuard = z.object({
  id: z.string(),
  connectorId: z.string(),
  enableTokenStorage: z.boolean().optional(),
});
const factoryGuard = z.object({
  id: z.string(),
  name: z.record(z.string()),
  description: z.record(z.string()),
});
/** GET /users/:id/identities/:target?includeTokenSecret=true: the stored token set's metadata. */
const identityWithSecretGuard = z.object({
  identity: identityGuard,
  tokenSecret: z
    .object({
      metadata: z.object({
        expiresAt: z.number().optional(),
        scope: z.string().optional(),
        hasRefreshToken: z.boolean().optional(),
      }),
    })
    .optional(),
});
/** Logto 1.42 (a1e0f2b, "hide internal application secrets") leaves `secret` out of the answer. */
const applicationGuard = z.object({ id: z.string(), secret: z.string().optional() });
const applicationSecretGuard = z.object({ name: z.string(), value: z.string() });

export type ManagementApi = ReturnType<typeof createManagementApi>;

export const createManagementApi = (endpoint: string, accessToken: string) => {
  const client = ky.create({
    prefixUrl: `${endpoint}/api`,
    headers: { authorization: `Bearer ${accessToken}` },
    retry: 0,
    timeout: 30_000,
  });
  const call = <T extends z.ZodTypeAny>(
    method: 'get' | 'post' | 'patch' | 'put',
    path: string,
    guard: T,
    json?: unknown,
  ) => callLogto(client, method, path, guard, json);

  return {
    connectorFactories: async () => call('get', 'connector-factories', z.array(factoryGuard)),
    createConnector: async (body: {
      id: string;
      connectorId: string;
      config: Record<string, unknown>;
    }) => call('post', 'connectors', connectorGuard, body),
    updateConnector: async (
      id: string,
      body: { config?: Record<string, unknown>; enableTokenStorage?: boolean },
    ) => call('patch', `connectors/${id}`, connectorGuard, body),
    /** POST /connectors/:id/authorization-uri: the first half of an admin linking an identity. */
    authorizationUri: async (connectorId: string, body: { state: string; redirectUri: string }) =>
      call(
        'post',
        `connectors/${connectorId}/authorization-uri`,
        z.object({ redirectTo: z.string() }),
        body,
      ),
    updateSignInExperience: async (body: Record<string, unknown>) =>
      call('patch', 'sign-in-exp', z.object({}).passthrough(), body),
    /**
     * The Account API on, and the Account Center's social section editable. Without a readable
     * password field the Account Center offers no way to verify the user before linking.
     */
    enableAccountCenter: async () =>
      call(
        'patch',
        'account-center',
        z.object({ enabled: z.boolean(), fields: z.record(z.string()) }),
        { enabled: true, fields: { social: 'Edit', password: 'ReadOnly' } },
      ),
    createApplication: async (body: {
      name: string;
      type: 'Traditional' | 'Native';
      oidcClientMetadata: { redirectUris: string[]; postLogoutRedirectUris: string[] };
    }) => call('post', 'applications', applicationGuard, body),
    /** GET /applications/:id/secrets: the app's secrets; from 1.42 the only place to read one. */
    applicationSecrets: async (id: string) =>
      call('get', `applications/${id}/secrets`, z.array(applicationSecretGuard)),
    createUser: async (body: { username: string; name?: string; password?: string }) =>
      call('post', 'users', userGuard, body),
    getUser: async (id: string) => call('get', `users/${id}`, userGuard),
    userIdentity: async (userId: string, target: string) =>
      call(
        'get',
        `users/${userId}/identities/${target}?includeTokenSecret=true`,
        identityWithSecretGuard,
      ),
    listUsers: async () => call('get', 'users?page_size=100', z.array(userGuard)),
    /** The whole audit log the Console shows (each entry's payload holds what the request carried). */
    auditLogs: async () => {
      const pageSize = 100;
      const entries: unknown[] = [];
      // Bounded: a run writes a few hundred entries at most.
      for (let page = 1; page <= 50; page += 1) {
        const batch = await call(
          'get',
          `logs?page=${page}&page_size=${pageSize}`,
          z.array(z.unknown()),
        );
        entries.push(...batch);
        if (batch.length < pageSize) {
          return entries;
        }
      }
      throw new Error(`the audit log has more than ${50 * pageSize} entries`);
    },
    /** POST /users/:userId/identities: the second half of an admin linking an identity. */
    linkIdentity: async (
      userId: string,
      body: { connectorId: string; connectorData: Record<string, unknown> },
    ) => call('post', `users/${userId}/identities`, z.record(identityGuard), body),
  };
};
