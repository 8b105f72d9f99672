/**
 * The traps a new user fell into, tried in a browser (`npm run test:browser`): each ends on a page
 * that says what happened and leads back, and the pages draw Latin text in a Latin font.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { page, playground, shoot, useBrowser } from './harness.js';

useBrowser();

/**
 * The width of a right single quotation mark (’) in an element's font, in ems: about 0.25 in a
 * Latin font, 1 (full width) when a CJK font draws it.
 */
const apostropheWidth = async (target: Page, selector: string): Promise<number> =>
  target.locator(selector).evaluate((element) => {
    const probe = document.createElement('span');
    probe.textContent = '\u2019';
    element.append(probe);
    const width =
      probe.getBoundingClientRect().width / Number.parseFloat(getComputedStyle(probe).fontSize);
    probe.remove();
    return width;
  });

const signInAndAllow = async () => {
  await page.click('#sign-in');
  await page.click('#allow');
  await page.waitForSelector('#result');
};

describe('what a new user meets, in a browser', () => {
  it('draws apostrophes in a Latin font, on the playground and the simulated Xiaomi', async () => {
    await page.goto(playground.url);
    expect(await apostropheWidth(page, 'h1')).toBeLessThan(0.4);
    expect(await apostropheWidth(page, '#client-secret-help')).toBeLessThan(0.4);
    await page.click('#sign-in');
    await page.waitForSelector('#allow');
    expect(await apostropheWidth(page, '#consent h1')).toBeLessThan(0.4);
  });

  it('gives the config fields one height, and refuses an empty App ID before sending it', async () => {
    await page.goto(playground.url);
    const heights = await Promise.all(
      ['#client-id', '#client-secret', '#scope', '#redirect-uri'].map(
        async (selector) => (await page.locator(selector).boundingBox())?.height,
      ),
    );
    expect(new Set(heights).size).toBe(1);
    await page.fill('#client-id', '');
    await page.click('#sign-in');
    expect(page.url()).toBe(`${playground.url}/`);
    expect(
      await page
        .locator('#client-id')
        .evaluate((input) => input instanceof HTMLInputElement && input.validity.valueMissing),
    ).toBe(true);
    await shoot('config');
  });

  it('gets back from a mistyped App Secret with the reset on the 96003 page', async () => {
    await page.goto(playground.url);
    await page.fill('#client-secret', 'fake-mistyped-secret');
    await signInAndAllow();
    expect(await page.textContent('#error-xiaomi-code')).toBe('96003');
    await shoot('result-mistyped-secret');
    await page.click('#advice-reset-config');
    await page.waitForSelector('#config-form');
    expect(await page.inputValue('#client-secret')).toBe('');
    await signInAndAllow();
    expect(await page.getAttribute('#result', 'data-outcome')).toBe('ok');
  });

  it('leads back from the simulated Xiaomi’s 96010 page to the playground', async () => {
    await page.goto(playground.url);
    await page.check('#fault-redirectUriNotRegistered');
    await page.click('#sign-in');
    await page.waitForSelector('#error-code[data-code="96010"]');
    await shoot('simulator-96010');
    await page.click('#back-link');
    await page.waitForSelector('#config-form');
    expect(page.url()).toBe(`${playground.url}/`);
    expect(await page.isChecked('#fault-redirectUriNotRegistered')).toBe(true);
  });

  it('shows a 1 MB App Secret a page naming the limit, with a way back', async () => {
    await page.goto(playground.url);
    await page.locator('#client-secret').evaluate((input) => {
      if (input instanceof HTMLInputElement) {
        input.value = 'x'.repeat(1024 * 1024);
      }
    });
    await page.click('#sign-in');
    await page.waitForSelector('#request-error');
    expect(await page.textContent('#request-error-message')).toContain('64 KB');
    await shoot('form-too-large');
    await page.click('#back');
    await page.waitForSelector('#config-form');
  });

  it('says after a refresh whether the refresh token was rotated', async () => {
    await page.goto(playground.url);
    await signInAndAllow();
    await page.click('#refresh');
    await page.waitForSelector('#result[data-action="refresh"]');
    expect(await page.textContent('#refresh-token-rotation')).toContain('new refresh token');
    await shoot('result-refresh');
  });
});
