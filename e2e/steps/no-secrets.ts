/**
 * Nothing secret ends up where admins and operators read: the users' identities (rawData is shown
 * in the Console), Logto's audit log (less the entries in which Logto itself logs a sign-up
 * password, below), its verification records (where the Account Center and the Account API keep
 * the connector session and the Xiaomi user info) and Logto's own output. Checked against every
 * secret the run has seen (the web and Android apps' App Secrets, the users' passwords, the
 * access tokens the Account API returned) and every token Xiaomi issued, to either app; a leak is
 * named by what it is, never its value.
 */
import { z } from 'zod';

import { stepNames, type World } from '../world.js';

const auditEntryGuard = z.object({ key: z.string() }).passthrough();

/**
 * Logto's experience API logs each profile payload of a sign-up, a new password in plain text
 * included (Interaction.Register.Profile.Update, routes/experience/profile-routes.ts, 1.41.0):
 * Logto's own doing, not the connector's, so such entries are left out of the check and counted.
 */
const isSignUpPasswordEntry = (entry: unknown): boolean =>
  auditEntryGuard.safeParse(entry).data?.key === 'Interaction.Register.Profile.Update' &&
  JSON.stringify(entry).includes('"type":"password"');

/** Which audit log entries hold the secret, by their key (what Logto logged), never the value. */
const auditEntriesWith = (entries: unknown[], secret: string): string =>
  entries
    .filter((entry) => JSON.stringify(entry).includes(secret))
    .map((entry) => auditEntryGuard.safeParse(entry).data?.key ?? 'an entry without a key')
    .join(', ');

export const secretsStayOut = async (world: World) =>
  world.report.step(stepNames.noSecrets, async () => {
    const issued = world.simulator.issuedSecrets();
    const kinds = new Map(world.secrets);
    for (const { kind, value } of issued) {
      kinds.set(value, `${kind === 'access token' ? 'an' : 'a'} ${kind} Xiaomi issued`);
    }
    const secrets = [...kinds].filter(([secret]) => secret.length >= 8);
    const issuedValues = new Set(issued.map(({ value }) => value));
    const own = [...world.secrets].flatMap(([secret, kind]) =>
      issuedValues.has(secret) ? [] : [kind],
    );
    const issuedCounts = (['access token', 'refresh token', 'MAC key'] as const).map(
      (kind) => `${issued.filter((secret) => secret.kind === kind).length} ${kind}s`,
    );
    // The Android app's tokens are among them: the ones issued to a mobile App ID.
    const mobileIds = new Set(
      world.simulator.apps.filter(({ kind }) => kind === 'mobile').map(({ clientId }) => clientId),
    );
    const mobileIssued = issued.filter(({ clientId }) => mobileIds.has(clientId)).length;
    const users = await world.api.listUsers();
    const fullAuditLog = await world.api.auditLogs();
    const auditLog = fullAuditLog.filter((entry) => !isSignUpPasswordEntry(entry));
    const passwordEntries = fullAuditLog.length - auditLog.length;
    const places = {
      "users' identities": JSON.stringify(users.map(({ identities }) => identities)),
      "Logto's audit log": JSON.stringify(auditLog),
      "Logto's verification records": await world.database.psql(
        'select data::text from verification_records',
      ),
      "Logto's output": world.logtoLog(),
    };
    const leaks = secrets.flatMap(([secret, kind]) =>
      Object.entries(places).flatMap(([place, text]) =>
        text.includes(secret)
          ? [
              `${kind} in ${place}${place === "Logto's audit log" ? ` (${auditEntriesWith(auditLog, secret)})` : ''}`,
            ]
          : [],
      ),
    );
    if (leaks.length > 0) {
      throw new Error(`secrets appear: ${[...new Set(leaks)].join('; ')}`);
    }
    const records = (
      await world.database.psql(
        `select count(*) from verification_records where data->>'type' = 'Social'`,
      )
    ).trim();
    return {
      detail: `${secrets.length} secrets (${[...new Set(own)].join(', ')}; the ${issuedCounts.join(', ')} Xiaomi issued, ${mobileIssued} of them to the Android app) appear in none of: ${users.length} users' identities, Logto's audit log${passwordEntries ? ` (left out: ${passwordEntries} Interaction.Register.Profile.Update entry in which Logto itself logs the sign-up password)` : ''}, its verification records (${records} social), Logto's output (${Math.round(places["Logto's output"].length / 1024)} KB)`,
      value: true,
    };
  });
