/** The pages' HTML is escaped by construction: what goes into `markup` is text unless it is markup. */
import { describe, expect, it } from 'vitest';

import { markup, page, trustedHtml } from '../simulator/web/html.js';

describe('markup', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const name = `"><script>alert('x')</script>&`;
    expect(markup`<p title="${name}">${name}</p>`.text).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>',
    );
  });

  it('keeps nested markup as it is, and escapes the strings inside it once', () => {
    const rows = ['<a>', 'b&c'].map((cell) => markup`<td>${cell}</td>`);
    expect(markup`<tr>${rows}</tr>`.text).toBe('<tr><td>&lt;a&gt;</td><td>b&amp;c</td></tr>');
  });

  it('renders nothing for false, null and undefined, and numbers as text', () => {
    expect(markup`[${false}${null}${undefined}${0}${trustedHtml('<br>')}]`.text).toBe('[0<br>]');
  });

  it('makes a page with a doctype and the head every page shares, its title escaped', () => {
    const html = page({ title: 'A & <B>', styles: 'p { margin: 0; }', body: markup`<p>x</p>` });
    expect(
      html.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">'),
    ).toBe(true);
    expect(html).toContain('<title>A &amp; &lt;B&gt;</title>');
    expect(html).toContain('<style>p { margin: 0; }</style>');
    expect(html.endsWith('<body>\n<p>x</p>\n</body>\n</html>')).toBe(true);
  });
});
