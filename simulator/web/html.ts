/**
 * HTML escaped by construction: the `markup` tag escapes every interpolated value unless it is
 * already `Html` (built by this tag, or a trusted constant wrapped with `trustedHtml`). The tag is
 * not called `html` so that Prettier leaves the markup as written.
 */
export class Html {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

export const escapeHtml = (value: string): string =>
  value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

const render = (value: HtmlValue): string => {
  if (value instanceof Html) {
    return value.text;
  }
  if (Array.isArray(value)) {
    return value.map((item: HtmlValue) => render(item)).join('');
  }
  // `false`, `null` and `undefined` render nothing, so `${condition && markup`…`}` works.
  if (value === null || value === undefined || value === false) {
    return '';
  }
  return escapeHtml(String(value));
};

export const markup = (strings: TemplateStringsArray, ...values: HtmlValue[]): Html =>
  new Html(strings.reduce((out, part, index) => out + render(values[index - 1]) + part));

/** For constants written in this repository (style sheets), never for input. */
export const trustedHtml = (text: string): Html => new Html(text);

/**
 * The pages' text font: Latin fonts first (macOS, Windows, Android, then Linux's Noto, Liberation
 * and DejaVu), then CJK ones for the characters those lack. A CJK font listed before every Latin
 * font a system has draws Latin text too, with full-width punctuation ("Xiaomi’ s").
 */
export const textFonts = [
  '-apple-system',
  'BlinkMacSystemFont',
  '"Segoe UI"',
  'Roboto',
  '"Helvetica Neue"',
  'Arial',
  '"Noto Sans"',
  '"Liberation Sans"',
  '"DejaVu Sans"',
  '"PingFang SC"',
  '"Microsoft YaHei"',
  '"Noto Sans CJK SC"',
  'sans-serif',
].join(', ');

/**
 * A whole page as a string: the doctype and the head every page of the simulator and the
 * playground shares (charset, viewport, title, favicon, style sheet), around `body`.
 */
export const page = ({
  title,
  styles,
  body,
}: {
  title: string;
  styles: string;
  body: Html;
}): string =>
  `<!doctype html>\n${
    markup`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>${trustedHtml(styles)}</style>
</head>
<body>
${body}
</body>
</html>`.text
  }`;
