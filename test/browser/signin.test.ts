/**
 * Real browser sign-ins through the playground and the simulated Xiaomi's consent page
 * (`npm run test:browser`; what it needs: harness.ts).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { browser, openConsent, page, playground, shoot, useBrowser } from './harness.js';

useBrowser();

/**
 * Each non-ASCII character of an element drawn on a canvas in the element's font, next to
 * characters no font has (unassigned code points): a character whose font is missing is drawn as
 * the same "tofu" box, pixel for pixel.
 */
const tofuCharacters = async (target: Page, selector: string): Promise<string[]> =>
  target.locator(selector).evaluate((element) => {
    const style = getComputedStyle(element);
    const canvas = document.createElement('canvas');
    canvas.width = 80;
    canvas.height = 80;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) {
      throw new Error('no 2d canvas');
    }
    context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    context.textBaseline = 'top';
    const drawn = (text: string) => {
      context.clearRect(0, 0, canvas.width, canvas.height);
      context.fillText(text, 8, 8);
      return context.getImageData(0, 0, canvas.width, canvas.height).data.join(',');
    };
    const boxes = new Set(['\u0378', '\u0379', '\u{10FFFD}'].map((missing) => drawn(missing)));
    const characters = Array.from(element.textContent ?? '').filter(
      (character) => (character.codePointAt(0) ?? 0) > 0x7f,
    );
    if (characters.length === 0) {
      throw new Error('nothing to check');
    }
    return characters.filter((character) => boxes.has(drawn(character)));
  });

describe('sign-in in a browser', () => {
  it('allows and shows the user Logto would get', async () => {
    await openConsent();
    expect(await page.locator('input[name=account]').count()).toBe(3);
    expect(await page.textContent('#app-name')).toBe('Logto Playground');
    await shoot('consent');
    const account = playground.simulator?.accounts[2];
    await page.check(`input[name=account][value="${account?.userId ?? ''}"]`);
    await page.click('#allow');
    await page.waitForSelector('#result');
    expect(await page.getAttribute('#result', 'data-outcome')).toBe('ok');
    expect(await page.textContent('#user-id')).toBe(account?.unionId);
    expect(await page.textContent('#user-name')).toBe('Han Meimei');
    expect(await page.textContent('#user-email')).toBe('hanmeimei@example.com');
    expect(await page.locator('#timeline tr.call').count()).toBeGreaterThanOrEqual(2);
    // The avatar comes from the simulator and loads offline.
    const avatarLoaded = await page
      .locator('#user-avatar')
      .evaluate((image) => image instanceof HTMLImageElement && image.naturalWidth > 0);
    expect(avatarLoaded).toBe(true);
    await shoot('result');

    await page.click('#refresh');
    await page.waitForSelector('#result[data-action="refresh"]');
    expect(await page.getAttribute('#result', 'data-outcome')).toBe('ok');
  });

  it('looks right on a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(playground.url);
    await shoot('playground-phone');
    await page.click('#sign-in');
    await page.waitForSelector('#allow');
    await shoot('consent-phone');
    await page.click('#allow');
    await page.waitForSelector('#result');
    await shoot('result-phone');
    // Nothing overflows sideways on a narrow screen.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await page.textContent('#user-name')).toBe('小米用户🍊');
  });

  it('renders the Chinese name and the emoji, not boxes (CJK and emoji fonts installed)', async () => {
    await page.goto(playground.url);
    await page.click('#sign-in');
    await page.waitForSelector('#allow');
    expect(await tofuCharacters(page, 'label[for="account-2233445566"] strong')).toEqual([]);
    await page.click('#allow');
    await page.waitForSelector('#user-name');
    expect(await page.textContent('#user-name')).toBe('小米用户🍊');
    expect(await tofuCharacters(page, '#user-name')).toEqual([]);
  });

  it('denies and shows authorization_failed', async () => {
    await openConsent();
    await page.click('#deny');
    await page.waitForSelector('#result');
    expect(await page.getAttribute('#result', 'data-outcome')).toBe('error');
    expect(await page.textContent('#error-code')).toBe('authorization_failed');
    expect(await page.textContent('#error-xiaomi-code')).toBe('96012');
  });

  it('shows invalid_config when Xiaomi says the secret is wrong', async () => {
    await openConsent(['wrongSecret']);
    await page.click('#allow');
    await page.waitForSelector('#result');
    expect(await page.textContent('#error-code')).toBe('invalid_config');
    expect(await page.textContent('#error-xiaomi-code')).toBe('96003');
    expect(await page.textContent('#error-description')).toContain('copy the App Secret again');
    await shoot('result-error');
  });

  it('signs in from two browsers at once, each with its own fault switches', async () => {
    const other = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    try {
      const second = await other.newPage();
      // This browser turns "Wrong secret" on; the second one opens afterwards, all switches off.
      await page.goto(playground.url);
      const ownAppId = await page.inputValue('#client-id');
      await openConsent(['wrongSecret']);
      await second.goto(playground.url);
      expect(await second.isChecked('#fault-wrongSecret')).toBe(false);
      expect(await second.inputValue('#client-id')).not.toBe(ownAppId);
      await second.click('#sign-in');
      await second.waitForSelector('#allow');

      await second.click('#allow');
      await second.waitForSelector('#result');
      expect(await second.getAttribute('#result', 'data-outcome')).toBe('ok');
      await page.click('#allow');
      await page.waitForSelector('#result');
      expect(await page.textContent('#error-code')).toBe('invalid_config');
      expect(await page.textContent('#error-xiaomi-code')).toBe('96003');
    } finally {
      await other.close();
    }
  });
});

describe('an Android app in a browser', () => {
  it('saves the config, shows the SDK call, and signs in with the SDK’s code', async () => {
    await page.goto(playground.url);
    const mobileId = await page.inputValue('#mobile-client-ids');
    expect(mobileId).toMatch(/^\d+$/);
    await page.click('#android');
    await page.waitForSelector('#android-form');
    expect(await page.textContent('#kotlin')).toContain(`.setAppId(${mobileId}L)`);
    const account = playground.simulator?.accounts[1];
    await page.check(`#phone-account-${account?.userId ?? ''}`);
    await shoot('android');
    await page.click('#android-sign-in');
    await page.waitForSelector('#result');
    expect(await page.getAttribute('#result', 'data-outcome')).toBe('ok');
    expect(await page.getAttribute('#result', 'data-action')).toBe('android');
    expect(await page.textContent('#user-id')).toBe(account?.unionId);
    expect(await page.locator('#app-calls li.step').count()).toBe(3);
    await shoot('android-result');

    await page.click('#refresh');
    await page.waitForSelector('#result[data-action="refresh"]');
    expect(await page.getAttribute('#result', 'data-outcome')).toBe('ok');
  });

  it('looks right on a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${playground.url}/android`);
    await page.click('#android-sign-in');
    await page.waitForSelector('#app-calls');
    await shoot('android-result-phone');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
