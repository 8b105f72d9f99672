import { z } from 'zod';

/** Space-separated numeric scope ids, as Xiaomi takes them. */
export const scopeListPattern = /^\d+(\s+\d+)*$/;

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

/** What Logto passes to getUserInfo: the callback's query plus the redirect URI. */
export const callbackDataGuard = z.object({
  code: z.string().optional(),
  state: z.string().optional(),
  error: z.union([z.string(), z.number()]).optional(),
  error_description: z.string().optional(),
  redirectUri: z.string().optional(),
});

export type CallbackData = z.infer<typeof callbackDataGuard>;

/** What this connector keeps in Logto's connector session between authorize and callback. */
export const xiaomiSessionGuard = z.object({
  state: z.string().optional(),
  redirectUri: z.string().optional(),
  scope: z.string().optional(),
});

export type XiaomiSession = z.infer<typeof xiaomiSessionGuard>;

/** A value Xiaomi may send as a number or as a string; kept as a string. */
const stringish = z.union([z.string(), z.number()]).transform(String);

/** An optional field we can live without: a wrongly typed value is dropped, not fatal. */
const lenient = <T extends z.ZodTypeAny>(schema: T) => schema.optional().catch(undefined);

export const xiaomiErrorCodeGuard = z.union([z.number(), z.string()]);

export const tokenErrorGuard = z.object({
  error: xiaomiErrorCodeGuard,
  error_description: lenient(z.string()),
});

export const tokenSuccessGuard = z.object({
  access_token: z.string().regex(/\S/, 'must be a non-empty string'),
  expires_in: lenient(z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)])),
  refresh_token: lenient(z.string()),
  scope: lenient(stringish),
  token_type: lenient(z.string()),
  mac_key: lenient(z.string()),
  mac_algorithm: lenient(z.string()),
  openId: lenient(stringish),
});

/** The fields of a token answer that are secrets, whatever else the answer holds. */
export const tokenSecretsGuard = z.object({
  access_token: lenient(z.string()),
  refresh_token: lenient(z.string()),
  mac_key: lenient(z.string()),
});

export type XiaomiTokenSet = z.infer<typeof tokenSuccessGuard>;

export const openApiEnvelopeGuard = z.object({
  result: z.string().optional(),
  code: lenient(xiaomiErrorCodeGuard),
  description: lenient(z.string()),
  data: z.unknown().optional(),
});

export const profileDataGuard = z.object({
  unionId: stringish.pipe(z.string().regex(/\S/, 'must be a non-empty string')),
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

export const openIdDataGuard = z.object({ openid: stringish.pipe(z.string().min(1)) });

export const phoneAndEmailDataGuard = z.object({
  phone: lenient(stringish),
  email: lenient(z.string()),
});

export type XiaomiPhoneAndEmail = z.infer<typeof phoneAndEmailDataGuard>;
