import { z } from 'zod';

import { storableTextPattern } from './text.js';

/** Space-separated numeric scope ids, as Xiaomi takes them. */
export const scopeListPattern = /^\d+(\s+\d+)*$/;

type Checked<T> = { success: true; data: T } | { success: false; error: z.ZodError };

/** A zod check of an answer's shape, and what is read from it. */
export type AnswerGuard<T> = { safeParse: (value: unknown) => Checked<T> };

/**
 * zod checks the required fields; a plain function reads the optional ones. Profiled: a zod
 * transform costs several times the check itself (3.7 µs against 1 µs for a token answer), on
 * every answer of every sign-in.
 */
const checkThenRead = <Shape extends z.ZodTypeAny, T>(
  shape: Shape,
  read: (checked: z.output<Shape>) => T,
): AnswerGuard<T> => ({
  safeParse: (value) => {
    const checked = shape.safeParse(value);
    return checked.success ? { success: true, data: read(checked.data) } : checked;
  },
});

/** Console stores cleared text fields as empty strings; they mean "not set". */
const optionalText = (schema: z.ZodString) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    schema.optional(),
  );

export const xiaomiConfigGuard = z.object({
  clientId: z
    .string({
      required_error: 'is required: the App ID of your app on Xiaomi Account Services',
      invalid_type_error: 'must be a string of digits (the App ID on Xiaomi Account Services)',
    })
    .trim()
    .regex(/^\d+$/, 'must be digits only: the numeric App ID on Xiaomi Account Services'),
  clientSecret: z
    .string({
      required_error: 'is required: the App Secret of your app on Xiaomi Account Services',
      invalid_type_error: 'must be a string (the App Secret on Xiaomi Account Services)',
    })
    .trim()
    .min(1, 'must not be empty: the App Secret of your app on Xiaomi Account Services'),
  scope: optionalText(
    z
      .string({ invalid_type_error: 'must be a string of space-separated numeric scope ids' })
      .trim()
      .regex(scopeListPattern, 'must be space-separated numeric Xiaomi scope ids, e.g. "1 3"'),
  ),
  skipConfirm: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
  redirectUri: optionalText(
    z
      .string({ invalid_type_error: 'must be a URL string' })
      .trim()
      .url('must be an absolute URL: the callback URL registered for your app on Xiaomi'),
  ),
});

export type XiaomiConfig = z.infer<typeof xiaomiConfigGuard>;

/** Says what a callback field must be and what came instead; never the value itself. */
const mustBe =
  (expected: string): z.ZodErrorMap =>
  (issue, context) => ({
    message:
      issue.code === 'invalid_type'
        ? `must be ${expected}, got ${issue.received}`
        : issue.code === 'invalid_union'
          ? `must be ${expected}`
          : context.defaultError,
  });

/** A callback field that may be absent; JSON `null` counts as absent too. */
const callbackText = z.string({ errorMap: mustBe('a string') }).nullish();

/**
 * What Logto passes to getUserInfo: the callback's query plus the redirect URI. Logto's sign-in
 * page strips `state` before posting it; API clients may pass it through. Other keys are ignored.
 */
export const callbackDataGuard = checkThenRead(
  z.object(
    {
      code: callbackText,
      state: callbackText,
      error: z
        .union([z.string(), z.number()], { errorMap: mustBe('a string or a number') })
        .nullish(),
      // Only quoted back in an error: a wrong type is dropped rather than hiding Xiaomi's error.
      error_description: z.unknown(),
      redirectUri: callbackText,
    },
    { errorMap: mustBe('an object of query parameters') },
  ),
  (callback) => ({
    ...callback,
    error_description:
      typeof callback.error_description === 'string' ? callback.error_description : undefined,
  }),
);

/** What this connector keeps in Logto's connector session between authorize and callback. */
export const xiaomiSessionGuard = z.object({
  state: z.string().optional(),
  redirectUri: z.string().optional(),
});

export type XiaomiSession = z.infer<typeof xiaomiSessionGuard>;

/*
 * Optional fields we can live without: a missing or wrongly typed value becomes undefined instead
 * of failing the sign-in.
 */
const optionalString = (value: unknown) => (typeof value === 'string' ? value : undefined);

const optionalStringish = (value: unknown) =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

const optionalSeconds = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value)
    ? value
    : typeof value === 'string' && /^\d+$/.test(value)
      ? Number(value)
      : undefined;

export const xiaomiErrorCodeGuard = z.union([z.number(), z.string()]);

export const tokenErrorGuard = checkThenRead(
  z.object({ error: xiaomiErrorCodeGuard }).passthrough(),
  (answer) => ({
    error: answer.error,
    error_description: optionalString(answer.error_description),
  }),
);

const readTokenSet = (token: { access_token: string; [key: string]: unknown }) => ({
  access_token: token.access_token,
  expires_in: optionalSeconds(token.expires_in),
  refresh_token: optionalString(token.refresh_token),
  scope: optionalStringish(token.scope),
  token_type: optionalString(token.token_type),
  mac_key: optionalString(token.mac_key),
  mac_algorithm: optionalString(token.mac_algorithm),
  openId: optionalStringish(token.openId),
});

export const tokenSuccessGuard = checkThenRead(
  z.object({ access_token: z.string().regex(/\S/, 'must be a non-empty string') }).passthrough(),
  readTokenSet,
);

export type XiaomiTokenSet = ReturnType<typeof readTokenSet>;

/** The fields of a token answer that are secrets, whatever else the answer holds. */
export const tokenSecretsOf = (answer: object): string[] =>
  [
    'access_token' in answer ? answer.access_token : undefined,
    'refresh_token' in answer ? answer.refresh_token : undefined,
    'mac_key' in answer ? answer.mac_key : undefined,
  ].filter((value): value is string => typeof value === 'string');

export const openApiEnvelopeGuard = checkThenRead(z.object({}).passthrough(), (answer) => ({
  result: optionalString(answer.result),
  code:
    typeof answer.code === 'number' || typeof answer.code === 'string' ? answer.code : undefined,
  description: optionalString(answer.description),
  data: answer.data,
}));

const readProfile = (profile: { unionId: string; [key: string]: unknown }) => ({
  unionId: profile.unionId,
  userId: optionalStringish(profile.userId),
  miliaoNick: optionalString(profile.miliaoNick),
  miliaoIcon: optionalString(profile.miliaoIcon),
  miliaoIcon_75: optionalString(profile.miliaoIcon_75),
  miliaoIcon_90: optionalString(profile.miliaoIcon_90),
  miliaoIcon_120: optionalString(profile.miliaoIcon_120),
  miliaoIcon_320: optionalString(profile.miliaoIcon_320),
  miliaoIcon_orig: optionalString(profile.miliaoIcon_orig),
});

export const profileDataGuard = checkThenRead(
  z
    .object({
      // Xiaomi may send it as a number; kept as a string.
      unionId: z.union([z.string(), z.number()]).pipe(
        z.coerce
          .string()
          .regex(/\S/, 'must be a non-empty string')
          // The user's id in Logto's database: PostgreSQL refuses U+0000, jsonb a lone surrogate.
          .regex(storableTextPattern, 'must not contain control characters'),
      ),
    })
    .passthrough(),
  readProfile,
);

export type XiaomiProfile = ReturnType<typeof readProfile>;

/** openidV2 names its field `openid`; tolerate the `openId` spelling of the token answer too. */
export const openIdDataGuard = checkThenRead(z.object({}).passthrough(), (data) => ({
  openid: optionalStringish(data.openid) ?? optionalStringish(data.openId),
}));

const readPhoneAndEmail = (data: Record<string, unknown>) => ({
  phone: optionalStringish(data.phone),
  email: optionalString(data.email),
});

export const phoneAndEmailDataGuard = checkThenRead(z.object({}).passthrough(), readPhoneAndEmail);

export type XiaomiPhoneAndEmail = ReturnType<typeof readPhoneAndEmail>;
