/**
 * What Xiaomi says of a user reaches Logto's database and Console: users.name is varchar(128),
 * users.avatar varchar(2048), PostgreSQL refuses \u0000 in text and jsonb (and a lone surrogate in
 * jsonb), and the Console links the avatar. Only a usable value passes; the rest is left out.
 */
import { ConnectorErrorCodes } from '@logto/connector-kit';
import { describe, expect, it } from 'vitest';

import {
  answer,
  configOf,
  connectorErrorOf,
  connectorFor,
  fake,
  openApiOk,
  signIn,
  useHostileXiaomi,
} from './xiaomi.js';

const xiaomi = useHostileXiaomi();

const signInWith = async (profile: Record<string, unknown>, phoneAndEmail = {}) => {
  xiaomi.on('GET /user/profile', answer(openApiOk({ unionId: fake.unionId, ...profile })));
  xiaomi.on('GET /user/phoneAndEmail', answer(openApiOk(phoneAndEmail)));
  return signIn(await connectorFor(xiaomi, { config: configOf({ scope: '1 4 6' }) }));
};

const longUrl = `https://cdn.example.com/${'a'.repeat(2100)}.jpg`;
const good = 'https://cdn.example.com/icon.jpg';

type Row = {
  what: string;
  profile?: Record<string, unknown>;
  phoneAndEmail?: Record<string, unknown>;
  expected: Record<string, string | undefined>;
};

const rows: Row[] = [
  {
    what: 'a javascript: avatar',
    profile: { miliaoIcon: 'javascript:alert(1)' },
    expected: { avatar: undefined },
  },
  {
    what: 'a JavaScript: avatar in capitals',
    profile: { miliaoIcon: 'JavaScript:alert(1)' },
    expected: { avatar: undefined },
  },
  {
    what: 'a data: avatar',
    profile: { miliaoIcon: 'data:image/svg+xml,<svg onload=alert(1)>' },
    expected: { avatar: undefined },
  },
  {
    what: 'a relative avatar',
    profile: { miliaoIcon: '/icon.jpg' },
    expected: { avatar: undefined },
  },
  {
    what: 'an avatar URL over 2048 characters',
    profile: { miliaoIcon: longUrl },
    expected: { avatar: undefined },
  },
  {
    what: 'an avatar URL with a NUL',
    profile: { miliaoIcon: `${good}\u0000` },
    expected: { avatar: undefined },
  },
  {
    what: 'a bad largest avatar before a good one',
    profile: { miliaoIcon_orig: 'javascript:alert(1)', miliaoIcon: good },
    expected: { avatar: good },
  },
  {
    what: 'an http avatar',
    profile: { miliaoIcon: 'http://cdn.example.com/i.jpg' },
    expected: { avatar: 'http://cdn.example.com/i.jpg' },
  },
  {
    what: 'a name with NUL and other control characters',
    profile: { miliaoNick: 'Mi\u0000 Fan\u0007\u001B[31m\u009B' },
    expected: { name: 'Mi Fan[31m' },
  },
  {
    what: 'a name with a line break',
    profile: { miliaoNick: 'Mi\r\nFan' },
    expected: { name: 'MiFan' },
  },
  {
    what: 'a name of control characters only',
    profile: { miliaoNick: '\u0000\u0001' },
    expected: { name: undefined },
  },
  {
    what: 'a name of 500 characters',
    profile: { miliaoNick: 'x'.repeat(500) },
    expected: { name: 'x'.repeat(128) },
  },
  {
    what: 'a name of 200 emoji (not cut inside one)',
    profile: { miliaoNick: '🍊'.repeat(200) },
    expected: { name: '🍊'.repeat(128) },
  },
  {
    what: 'a name with a lone surrogate',
    profile: { miliaoNick: 'Mi\uD800Fan' },
    expected: { name: 'Mi\uFFFDFan' },
  },
  {
    what: 'an email that is not one',
    phoneAndEmail: { email: 'not-an-email' },
    expected: { email: undefined },
  },
  {
    what: 'an email with a space',
    phoneAndEmail: { email: 'fan @example.com' },
    expected: { email: undefined },
  },
  {
    what: 'an email with a NUL',
    phoneAndEmail: { email: 'fan\u0000@example.com' },
    expected: { email: undefined },
  },
  {
    what: 'an email over 128 characters',
    phoneAndEmail: { email: `${'f'.repeat(130)}@example.com` },
    expected: { email: undefined },
  },
  {
    what: 'a good email',
    phoneAndEmail: { email: ' fan@example.com ' },
    expected: { email: 'fan@example.com' },
  },
  {
    what: 'a phone that is words',
    phoneAndEmail: { phone: 'call me 555' },
    expected: { phone: undefined },
  },
  {
    what: 'a masked phone',
    phoneAndEmail: { phone: '138****8000' },
    expected: { phone: undefined },
  },
  {
    what: 'a phone too short to be one',
    phoneAndEmail: { phone: '12' },
    expected: { phone: undefined },
  },
  {
    what: 'a phone too long to be one',
    phoneAndEmail: { phone: '1'.repeat(20) },
    expected: { phone: undefined },
  },
  {
    what: 'a phone with a NUL',
    phoneAndEmail: { phone: '+86 138\u0000 0013 8000' },
    expected: { phone: undefined },
  },
  {
    what: 'a phone written +86 138 0013 8000',
    phoneAndEmail: { phone: '+86 138 0013 8000' },
    expected: { phone: '8613800138000' },
  },
  {
    what: 'a phone written (+86) 138-0013-8000',
    phoneAndEmail: { phone: '(+86) 138-0013-8000' },
    expected: { phone: '8613800138000' },
  },
];

/** A JSON text PostgreSQL's jsonb would refuse, or one with control characters at all. */
const unstorable = /\\u00[01][\da-f]|\\u007f|\\u009[\da-f]|\\ud[89a-f][\da-f]{2}/i;

describe('profile fields from Xiaomi', () => {
  it.each(rows)('$what', async ({ profile = {}, phoneAndEmail, expected }) => {
    const user = await signInWith(profile, phoneAndEmail);
    const { name, avatar, email, phone } = user;
    expect({ name, avatar, email, phone }).toMatchObject(expected);
    expect(JSON.stringify(user)).not.toMatch(unstorable);
  });

  it('keeps rawData storable: no NUL, control character or lone surrogate in any value', async () => {
    const user = await signInWith(
      {
        miliaoNick: 'Mi\u0000Fan\uDC00',
        miliaoIcon: 'javascript:\u0000',
        userId: '12\u00003',
        miliaoIcon_orig: '\u001B',
      },
      { phone: '138\u0000', email: 'a\u0000@b.c' },
    );
    expect(JSON.stringify(user.rawData)).not.toMatch(unstorable);
    expect(user.rawData).toMatchObject({ miliaoNick: 'MiFan\uFFFD', userId: '123' });
  });

  it.each(['fake-union\u0000-id', 'fake-union-\uD800', ' '])(
    'refuses a unionId Logto cannot store as the user id: %j',
    async (unionId) => {
      xiaomi.on('GET /user/profile', answer(openApiOk({ unionId })));
      const error = await connectorErrorOf(signIn(await connectorFor(xiaomi)));
      expect(error.code).toBe(ConnectorErrorCodes.InvalidResponse);
      expect(error.message).toContain('unionId');
    },
  );
});
