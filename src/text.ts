/**
 * Text from Xiaomi (or a callback) that Logto stores or logs. PostgreSQL refuses U+0000 in text
 * and jsonb, and jsonb refuses the `\uD800` escape JSON.stringify writes for a lone surrogate.
 */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controlCharacters = /[\u0000-\u001F\u007F-\u009F]/g;
const loneSurrogates = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text storableText would not change: no control character, no lone surrogate. */
export const storableTextPattern =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /^(?:[^\u0000-\u001F\u007F-\u009F\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

export const isStorableText = (text: string): boolean => storableTextPattern.test(text);

/** Without C0/C1 control characters and DEL; a lone surrogate becomes U+FFFD (an emoji stays). */
export const storableText = (text: string): string =>
  text.replace(controlCharacters, '').replace(loneSurrogates, '\uFFFD');

/** At most `max` code points (what PostgreSQL's varchar(n) counts), never half a pair. */
export const limitCodePoints = (text: string, max: number): string => {
  const codePoints = Array.from(text);
  return codePoints.length <= max ? text : codePoints.slice(0, max).join('');
};
