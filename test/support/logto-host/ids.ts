/** Logto's ids: @logto/shared `generateStandardId`, 21 characters of [0-9a-z] (nanoid). */
import { randomInt } from 'node:crypto';

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

export const generateStandardId = (size = 21): string =>
  Array.from({ length: size }, () => alphabet[randomInt(alphabet.length)]).join('');
