import { limitCodePoints, storableText } from './text.js';

/** Longest text of Xiaomi's that an error repeats; a huge body must not flood the logs. */
const maxQuotedLength = 200;

/** Shorter secrets would match ordinary text; none of Xiaomi's is this short. */
const minSecretLength = 3;

const escapeRegExp = (text: string) => text.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&');

/** Characters neither percent- nor form-encoding rewrites. */
const unreserved = /^[\w.~-]$/;

/** The %XX escapes of one character's UTF-8 bytes, hex digits in either case. */
const percentEscapes = (character: string) =>
  [...new TextEncoder().encode(character)]
    .map((byte) => {
      const [high = '0', low = '0'] = byte.toString(16).padStart(2, '0');
      return `%[${high.toUpperCase()}${high.toLowerCase()}][${low.toUpperCase()}${low.toLowerCase()}]`;
    })
    .join('');

/**
 * Matches a secret written raw, percent-encoded (either case) or form-encoded (a space as `+`),
 * or any mix: what an echoing server may send back from the query or form it was given.
 */
const secretPattern = (secret: string) =>
  [...secret]
    .map((character) => {
      if (unreserved.test(character)) {
        return character;
      }
      const forms = [escapeRegExp(character), percentEscapes(character)];
      if (character === ' ') {
        forms.push('\\+');
      }
      return `(?:${forms.join('|')})`;
    })
    .join('');

/** Removes every form of the given secrets from text Xiaomi sent. */
export const redact = (text: string, secrets: ReadonlyArray<string | undefined>): string => {
  const known = secrets.filter(
    (secret): secret is string => secret !== undefined && secret.length >= minSecretLength,
  );
  if (known.length === 0 || text === '') {
    return text;
  }
  // Longest first: a secret that contains another is removed whole.
  const pattern = known
    .sort((a, b) => b.length - a.length)
    .map(secretPattern)
    .join('|');
  return text.replace(new RegExp(pattern, 'g'), '***');
};

/**
 * Text Xiaomi sent (or a callback carried) as an error may repeat it: cut short, and storable,
 * since Logto keeps errors in its logs.
 */
export const quote = (text: string): string => {
  const storable = storableText(text);
  const cut = limitCodePoints(storable, maxQuotedLength);
  return cut === storable ? cut : `${cut}…`;
};

/** Redacts, then cuts: cutting first could leave the start of a secret standing. */
export const redactAndQuote = (text: string, secrets: ReadonlyArray<string | undefined>) =>
  quote(redact(text, secrets));
