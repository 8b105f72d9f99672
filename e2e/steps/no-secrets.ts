/**
 * Nothing secret ends up where admins and operators read: the users' identities (rawData is shown
 * in the Console), Logto's audit log and Logto's own output. Checked against every secret the run
 * has seen.
 */
import { stepNames, type World } from '../world.js';

export const secretsStayOut = async (world: World) =>
  world.report.step(stepNames.noSecrets, async () => {
    const secrets = [...world.secrets.keys()].filter((secret) => secret.length >= 8);
    const users = await world.api.listUsers();
    const identities = JSON.stringify(users.map(({ identities }) => identities));
    const auditLog = JSON.stringify(await world.api.auditLogs());
    const log = world.logtoLog();
    const leaks = secrets.flatMap((secret) => [
      ...(identities.includes(secret) ? ['a user identity'] : []),
      ...(auditLog.includes(secret) ? ["Logto's audit log"] : []),
      ...(log.includes(secret) ? ["Logto's output"] : []),
    ]);
    if (leaks.length > 0) {
      throw new Error(`a secret appears in: ${[...new Set(leaks)].join(', ')}`);
    }
    return {
      detail: `the App Secret and ${secrets.length - 1} Xiaomi access token(s) appear in none of ${users.length} users' identities, Logto's audit log, Logto's output (${Math.round(log.length / 1024)} KB)`,
      value: true,
    };
  });
