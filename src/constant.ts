import type { ConnectorMetadata } from '@logto/connector-kit';
import { ConnectorConfigFormItemType, ConnectorPlatform } from '@logto/connector-kit';

export const defaultAccountBaseUrl = 'https://account.xiaomi.com';
export const defaultOpenApiBaseUrl = 'https://open.account.xiaomi.com';

export const endpointPaths = Object.freeze({
  authorize: '/oauth2/authorize',
  token: '/oauth2/token',
  profile: '/user/profile',
  openId: '/user/openidV2',
  phoneAndEmail: '/user/phoneAndEmail',
});

export type XiaomiEndpoints = {
  authorize: string;
  token: string;
  profile: string;
  openId: string;
  phoneAndEmail: string;
};

/** Full endpoint URLs under the given bases (Xiaomi's own, or a simulator's). */
export const xiaomiEndpoints = (
  accountBaseUrl: string,
  openApiBaseUrl: string,
): XiaomiEndpoints => {
  const account = accountBaseUrl.replace(/\/+$/, '');
  const openApi = openApiBaseUrl.replace(/\/+$/, '');
  return {
    authorize: account + endpointPaths.authorize,
    token: account + endpointPaths.token,
    profile: openApi + endpointPaths.profile,
    openId: openApi + endpointPaths.openId,
    phoneAndEmail: openApi + endpointPaths.phoneAndEmail,
  };
};

/** Scope 1 (profile) is where the user id comes from, so every sign-in asks for it. */
export const profileScope = '1';
export const openIdScope = '3';
export const phoneScope = '4';
export const emailScope = '6';

/** Per call to Xiaomi: each attempt, the retry and reading the answer all end by then. */
export const defaultTimeoutMs = 5000;

/** Xiaomi's answers are a few KB; a larger one is refused while it is read. */
export const maxAnswerBytes = 64 * 1024;

/**
 * The open-API warm-up (open-api-warm-up.ts) runs only when that host has had no call for this
 * long: undici keeps an idle connection 4 s, and a busy Logto's connections are open anyway.
 */
export const warmUpAfterIdleMs = 1000;

/** The longest the open-API calls wait, after the code exchange, for the warm-ups to end. */
export const warmUpWaitMs = 500;

/**
 * What Logto's Console calls the read-only callback URL it shows above a social connector's form
 * (phrase `connectors.guide.callback_uri`; "Callback URI" alone before Logto 1.32).
 */
export const consoleRedirectUriLabel = 'Redirect URI (Callback URI)';

/** This connector's own field for it: Xiaomi needs the URL again on a refresh. */
export const redirectUriFieldLabel = 'Redirect URI shown above (for token refresh)';

/** Xiaomi's token answers start with this literal text before the JSON. */
export const tokenBodyPrefix = '&&&START&&&';

export const defaultMetadata: ConnectorMetadata = {
  id: 'xiaomi-universal',
  target: 'xiaomi',
  platform: ConnectorPlatform.Universal,
  isTokenStorageSupported: true,
  name: {
    en: 'Xiaomi',
    'zh-CN': '小米',
    'zh-TW': '小米',
    ja: 'Xiaomi',
    ko: '샤오미',
    'tr-TR': 'Xiaomi',
    de: 'Xiaomi',
    es: 'Xiaomi',
    fr: 'Xiaomi',
    'pt-BR': 'Xiaomi',
    ru: 'Xiaomi',
  },
  logo: './logo.svg',
  logoDark: null,
  description: {
    en: 'Sign in with a Xiaomi account (Mi Account), used by hundreds of millions of Xiaomi, Redmi and POCO users.',
    'zh-CN': '使用小米账号登录，覆盖数亿小米、红米和 POCO 用户。',
    'zh-TW': '使用小米帳號登入，涵蓋數億小米、紅米和 POCO 使用者。',
    ja: 'Xiaomi アカウント（Mi アカウント）でサインインします。Xiaomi、Redmi、POCO の数億人のユーザーが利用しています。',
    ko: '샤오미 계정(Mi 계정)으로 로그인합니다. 수억 명의 샤오미, 레드미, POCO 사용자가 사용합니다.',
    'tr-TR':
      'Xiaomi hesabıyla (Mi Hesabı) oturum açın; yüz milyonlarca Xiaomi, Redmi ve POCO kullanıcısı kullanıyor.',
    de: 'Mit einem Xiaomi-Konto (Mi-Konto) anmelden.',
    es: 'Inicia sesión con una cuenta de Xiaomi (Mi Account).',
    fr: 'Se connecter avec un compte Xiaomi (Mi Account).',
    'pt-BR': 'Entre com uma conta Xiaomi (Mi Account).',
    ru: 'Вход с учётной записью Xiaomi (Mi Account).',
  },
  readme: './README.md',
  formItems: [
    {
      key: 'clientId',
      label: 'App ID',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      placeholder: '2882303761517xxxxxx',
      description:
        'The numeric AppID of your app: Xiaomi Open Platform (dev.mi.com) → Management Console → Account Services → your app → app details.',
    },
    {
      key: 'clientSecret',
      label: 'App Secret',
      type: ConnectorConfigFormItemType.Text,
      required: true,
      isConfidential: true,
      placeholder: '<app-secret>',
      description:
        'The AppSecret shown next to the AppID on the same app details page of Xiaomi Account Services.',
    },
    {
      key: 'scope',
      label: 'Scope',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: '1 3',
      description:
        'Space-separated numeric Xiaomi scope ids, e.g. "1 3 4 6". 1 (profile) is always requested; 3 adds the openId; 4 and 6 add phone and email once Xiaomi has granted them to your app (Account Services → your app → open interfaces).',
    },
    {
      key: 'skipConfirm',
      label: 'Skip confirm',
      type: ConnectorConfigFormItemType.Switch,
      required: false,
      defaultValue: false,
      description:
        "Skip Xiaomi's account confirmation page for users already signed in to Xiaomi in the browser. When off, the connector asks Xiaomi to show it (sends skip_confirm=false): Xiaomi's own default is to skip.",
    },
    {
      key: 'redirectUri',
      label: redirectUriFieldLabel,
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: 'https://your.logto.domain/callback/<connector-id>',
      description: `Copy here the "${consoleRedirectUriLabel}" that Logto shows right above this form (the URL you registered as Callback URL on Xiaomi). Needed only with "Store tokens for persistent API access": Xiaomi requires it to refresh a token, and Logto does not pass it.`,
    },
    {
      key: 'mobileClientIds',
      label: 'Mobile app IDs (Android)',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      placeholder: '2882303761517yyyyyy',
      description:
        'Only for signing in from an Android app with Xiaomi’s SDK. The App ID of your Mobile/Tablet app: Xiaomi Open Platform (dev.mi.com) → Management Console → Account Services → the Mobile/Tablet app → app details (its own App ID, not the web app’s). Several apps: separate their App IDs with spaces.',
    },
    {
      key: 'mobileClientSecrets',
      label: 'Mobile app secrets',
      type: ConnectorConfigFormItemType.Text,
      required: false,
      isConfidential: true,
      placeholder: '<mobile-app-secret>',
      description:
        'The App Secret shown next to that App ID on the Mobile/Tablet app’s details page (not the web app’s). Several apps: separate the secrets with spaces, in the same order as their App IDs.',
    },
    {
      key: 'skipWarmUp',
      label: 'Skip the connection warm-up',
      type: ConnectorConfigFormItemType.Switch,
      required: false,
      defaultValue: false,
      // A negative switch: Logto's Console shows a switch its stored config lacks as off
      // (console utils/connector-form.ts initFormData, ConfigForm/ConfigFormFields, v1.42.0), and
      // shows the description as the switch's label.
      description:
        'Skip the warm-up and send Xiaomi only its documented API calls. When off (recommended), the connector opens its connections to Xiaomi’s open API with a plain GET of "/" while the code is exchanged (nothing of the user or the app in it), so that a sign-in after a few idle seconds takes about two round trips less.',
    },
  ],
};
