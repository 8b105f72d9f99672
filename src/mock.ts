/** Obvious fake values for tests: none of these is a real credential. */
export const mockClientId = '2882303761517000000';
export const mockClientSecret = 'fake-app-secret-for-tests';
export const mockCode = 'fake-authorization-code';
export const mockAccessToken = 'fake-access-token-V3_abc';
export const mockRefreshToken = 'fake-refresh-token-R1';
export const mockMacKey = 'fake-mac-key-xyz';
export const mockState = 'state-123';
export const mockRedirectUri = 'https://logto.example.com/callback/xiaomi-test';
export const mockUnionId = 'fake-union-id-42';

export const mockAccountBaseUrl = 'https://account.xiaomi.com';
export const mockOpenApiBaseUrl = 'https://open.account.xiaomi.com';

export const mockConfig = {
  clientId: mockClientId,
  clientSecret: mockClientSecret,
};

export const mockTokenSuccess = {
  access_token: mockAccessToken,
  expires_in: 7_776_000,
  refresh_token: mockRefreshToken,
  scope: '1',
  token_type: 'mac',
  mac_key: mockMacKey,
  mac_algorithm: 'HmacSha1',
  openId: 'fake-open-id-7',
};

/** Xiaomi's token answers: the literal prefix, then JSON. */
export const xiaomiTokenBody = (json: unknown, separator = '') =>
  `&&&START&&&${separator}${JSON.stringify(json)}`;

export const mockProfileData = {
  unionId: mockUnionId,
  miliaoNick: 'Mi Fan',
  miliaoIcon: 'https://cdn.example.com/icon.jpg',
  miliaoIcon_75: 'https://cdn.example.com/icon_75.jpg',
  miliaoIcon_90: 'https://cdn.example.com/icon_90.jpg',
  miliaoIcon_120: 'https://cdn.example.com/icon_120.jpg',
  miliaoIcon_320: 'https://cdn.example.com/icon_320.jpg',
  miliaoIcon_orig: 'https://cdn.example.com/icon_orig.jpg',
  userId: '1234567',
};

export const openApiOk = (data: unknown) => ({
  result: 'ok',
  code: 0,
  description: 'success',
  data,
});

export const openApiError = (code: number | string, description = 'error') => ({
  result: 'error',
  code,
  description,
});

export const mockCallback = {
  code: mockCode,
  state: mockState,
  redirectUri: mockRedirectUri,
};

export const mockSession = { state: mockState, redirectUri: mockRedirectUri };

/** Everything that must never show in an error, a log or rawData. */
export const mockSecrets = [
  mockClientSecret,
  mockCode,
  mockAccessToken,
  mockRefreshToken,
  mockMacKey,
];
