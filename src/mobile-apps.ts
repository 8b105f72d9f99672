/**
 * The Xiaomi apps one connector exchanges codes with: the web app (`clientId`, `clientSecret`) and
 * any Mobile/Tablet apps whose Android SDK hands the phone a code (`mobileClientIds`,
 * `mobileClientSecrets`: space-separated, the secrets in the order of the IDs). Logto allows one
 * connector per factory, so every app of one Xiaomi developer account lives in this one config.
 */

/** One Xiaomi app: its App ID and App Secret, and which of the config's lists it comes from. */
export type XiaomiApp = { kind: 'web' | 'mobile'; clientId: string; clientSecret: string };

/** The config fields this module reads. */
type AppFields = {
  clientId: string;
  clientSecret: string;
  mobileClientIds?: string;
  mobileClientSecrets?: string;
};

export type MobileAppProblem = {
  field: 'mobileClientIds' | 'mobileClientSecrets';
  /** Says what the field expects; never a value (a secret may be one). */
  message: string;
};

/** Space-separated items; a missing or blank field has none. */
const splitList = (text: string | undefined): string[] => {
  const trimmed = text?.trim();
  return trimmed ? trimmed.split(/\s+/) : [];
};

const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** What is wrong between the two lists, and with the web app's App ID. */
export const mobileAppProblems = ({
  clientId,
  mobileClientIds,
  mobileClientSecrets,
}: Omit<AppFields, 'clientSecret'>): MobileAppProblem[] => {
  const ids = splitList(mobileClientIds);
  const secrets = splitList(mobileClientSecrets);
  if (ids.length === 0 && secrets.length > 0) {
    return [
      {
        field: 'mobileClientIds',
        message:
          'is empty while mobileClientSecrets is set: list the App ID of each Mobile/Tablet app, in the order of their App Secrets',
      },
    ];
  }
  if (ids.length > 0 && secrets.length === 0) {
    return [
      {
        field: 'mobileClientSecrets',
        message:
          'is empty while mobileClientIds is set: give the App Secret of each Mobile/Tablet app, in the order of mobileClientIds',
      },
    ];
  }
  const problems: MobileAppProblem[] = [];
  if (ids.length !== secrets.length) {
    problems.push({
      field: 'mobileClientSecrets',
      message: `holds ${counted(secrets.length, 'App Secret')} for ${counted(ids.length, 'App ID')} in mobileClientIds: give one App Secret per App ID, in the same order`,
    });
  }
  if (new Set(ids).size !== ids.length) {
    problems.push({
      field: 'mobileClientIds',
      message: 'lists an App ID twice: list each Mobile/Tablet app once',
    });
  }
  if (ids.includes(clientId)) {
    problems.push({
      field: 'mobileClientIds',
      message:
        'holds the web app’s App ID (clientId): list only the Mobile/Tablet apps’ own App IDs',
    });
  }
  return problems;
};

/** The mobile apps of a checked config: App ID → App Secret. */
export const mobileAppsOf = (fields: AppFields): ReadonlyMap<string, string> => {
  const secrets = splitList(fields.mobileClientSecrets);
  return new Map(
    splitList(fields.mobileClientIds).flatMap((id, index) => {
      const secret = secrets[index];
      return secret === undefined ? [] : [[id, secret] as const];
    }),
  );
};

/** A config as the connector uses it: checked, the mobile apps parsed once. */
export type AppsConfig = Pick<AppFields, 'clientId' | 'clientSecret'> & {
  mobileApps: ReadonlyMap<string, string>;
};

export const webApp = ({ clientId, clientSecret }: AppsConfig): XiaomiApp => ({
  kind: 'web',
  clientId,
  clientSecret,
});

/** A configured mobile app by its App ID; undefined when it is not one. */
export const mobileApp = ({ mobileApps }: AppsConfig, clientId: string): XiaomiApp | undefined => {
  const clientSecret = mobileApps.get(clientId);
  return clientSecret === undefined ? undefined : { kind: 'mobile', clientId, clientSecret };
};

/** Every configured App Secret: each call's errors are redacted of all of them. */
export const configuredSecrets = ({ clientSecret, mobileApps }: AppsConfig): string[] => [
  clientSecret,
  ...mobileApps.values(),
];
