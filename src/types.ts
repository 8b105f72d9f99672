import { z } from 'zod';

import { mobileAppProblems } from './mobile-apps.js';
import { storableTextPattern } from './text.js';

/** Space-separated numeric scope ids, as Xiaomi takes them. */
export const scopeListPattern = /^\d+(\s+\d+)*$/;

/** Console stores cleared text fields as empty strings; they mean "not set". */
const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalText = (schema: z.ZodString) => z.preprocess(blankToUndefined, schema.optional());

/** A field we can live without: missing or of another type, it is undefined instead of failing. */
const lenient = <Schema extends z.ZodTypeAny>(schema: Schema) => schema.optional().catch(undefined);

const xiaomiConfigFieldsGuard = z.object({
  // Empty or blank counts as missing, so it gets the "is required" message, not the format's.
  clientId: z.preprocess(
    blankToUndefined,
    z
      .string({
        required_error: 'is required: the App ID of your app on Xiaomi Account Services',
        invalid_type_error: 'must be a string of digits (the App ID on Xiaomi Account Services)',
      })
      .trim()
      .regex(/^\d+$/, 'must be digits only: the numeric App ID on Xiaomi Account Services'),
  ),
  clientSecret: z.preprocess(
    blankToUndefined,
    z
      .string({
        required_error: 'is required: the App Secret of your app on Xiaomi Account Services',
        invalid_type_error: 'must be a string (the App Secret on Xiaomi Account Services)',
      })
      .trim(),
  ),
  scope: optionalText(
    z
      .string({ invalid_type_error: 'must be a string of space-separated numeric scope ids' })
      .trim()
      .regex(scopeListPattern, 'must be space-separated numeric Xiaomi scope ids, e.g. "1 3"'),
  ),
  skipConfirm: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
  /** Only true skips the warm-up: a config stored before the key existed keeps it. */
  skipWarmUp: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
  redirectUri: optionalText(
    z
      .string({ invalid_type_error: 'must be a URL string' })
      .trim()
      .url('must be an absolute URL: the callback URL registered for your app on Xiaomi'),
  ),
  mobileClientIds: optionalText(
    z
      .string({ invalid_type_error: 'must be a string of space-separated App IDs' })
      .trim()
      .regex(
        /^\d+(\s+\d+)*$/,
        'must be space-separated App IDs, digits only: those of your Mobile/Tablet apps on Xiaomi Account Services',
      ),
  ),
  mobileClientSecrets: optionalText(
    z.string({ invalid_type_error: 'must be a string of space-separated App Secrets' }).trim(),
  ),
});

/** The stored config, each field checked, then the two mobile lists against each other. */
export const xiaomiConfigGuard = xiaomiConfigFieldsGuard.superRefine((config, context) => {
  for (const { field, message } of mobileAppProblems(config)) {
    context.addIssue({ code: z.ZodIssueCode.custom, path: [field], message });
  }
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
 * page strips `state` before posting it; API clients may pass it through. An app with Xiaomi's
 * Android SDK adds `clientId`, the App ID its code was issued to (never `app_id`: Logto's sign-in
 * page may post its own application's id under that key). Other keys are ignored.
 */
export const callbackDataGuard = z.object(
  {
    code: callbackText,
    state: callbackText,
    error: z
      .union([z.string(), z.number()], { errorMap: mustBe('a string or a number') })
      .nullish(),
    // Only quoted back in an error: a wrong type is dropped rather than hiding Xiaomi's error.
    error_description: lenient(z.string()),
    redirectUri: callbackText,
    // A JSON number cannot hold a 19-digit App ID exactly: refused rather than rounded.
    clientId: z.string({ errorMap: mustBe('the Xiaomi App ID as a string of digits') }).nullish(),
  },
  { errorMap: mustBe('an object of query parameters') },
);

/** What this connector keeps in Logto's connector session between authorize and callback. */
export const xiaomiSessionGuard = z.object({
  state: z.string().optional(),
  redirectUri: z.string().optional(),
});

export type XiaomiSession = z.infer<typeof xiaomiSessionGuard>;

/** A value Xiaomi may send as a number or as a string; kept as a string. */
const stringish = z.union([z.string(), z.number().transform(String)]);

/** Seconds, as a number or a string of digits. */
const seconds = z.union([z.number().finite(), z.string().regex(/^\d+$/).transform(Number)]);

export const xiaomiErrorCodeGuard = z.union([z.number(), z.string()]);

export const tokenErrorGuard = z.object({
  error: xiaomiErrorCodeGuard,
  error_description: lenient(z.string()),
});

export const tokenSuccessGuard = z.object({
  access_token: z.string().regex(/\S/, 'must be a non-empty string'),
  expires_in: lenient(seconds),
  refresh_token: lenient(z.string()),
  scope: lenient(stringish),
  token_type: lenient(z.string()),
  mac_key: lenient(z.string()),
  mac_algorithm: lenient(z.string()),
  openId: lenient(stringish),
});

export type XiaomiTokenSet = z.infer<typeof tokenSuccessGuard>;

/** The fields of a token answer that are secrets, whatever else the answer holds. */
export const tokenSecretsOf = (answer: object): string[] =>
  [
    'access_token' in answer ? answer.access_token : undefined,
    'refresh_token' in answer ? answer.refresh_token : undefined,
    'mac_key' in answer ? answer.mac_key : undefined,
  ].filter((value): value is string => typeof value === 'string');

export const openApiEnvelopeGuard = z.object({
  result: lenient(z.string()),
  code: lenient(xiaomiErrorCodeGuard),
  description: lenient(z.string()),
  data: z.unknown(),
});

export const profileDataGuard = z.object({
  unionId: stringish.pipe(
    z
      .string()
      .regex(/\S/, 'must be a non-empty string')
      // The user's id in Logto's database: PostgreSQL refuses U+0000, jsonb a lone surrogate.
      .regex(storableTextPattern, 'must not contain control characters'),
  ),
  userId: lenient(stringish),
  miliaoNick: lenient(z.string()),
  miliaoIcon: lenient(z.string()),
  miliaoIcon_75: lenient(z.string()),
  miliaoIcon_90: lenient(z.string()),
  miliaoIcon_120: lenient(z.string()),
  miliaoIcon_320: lenient(z.string()),
  miliaoIcon_orig: lenient(z.string()),
});

export type XiaomiProfile = z.infer<typeof profileDataGuard>;

/** openidV2 names its field `openid`; tolerate the `openId` spelling of the token answer too. */
export const openIdDataGuard = z
  .object({ openid: lenient(stringish), openId: lenient(stringish) })
  .transform(({ openid, openId }) => ({ openid: openid ?? openId }));

export const phoneAndEmailDataGuard = z.object({
  phone: lenient(stringish),
  email: lenient(z.string()),
});

export type XiaomiPhoneAndEmail = z.infer<typeof phoneAndEmailDataGuard>;
