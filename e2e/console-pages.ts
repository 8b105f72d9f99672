/**
 * What an admin does in Logto's Console (served by the admin tenant under /console): create the
 * first admin account, add the Xiaomi connector, and open its README. The pages, from logto-io/logto
 * v1.42.0: packages/console's pages/Welcome (first admin), components/CreateConnectorForm and
 * pages/Connectors/Guide (add a connector: the README beside the form), pages/ConnectorDetails
 * ("Check README" opens a Drawer with the connector's metadata.readme as Markdown). The selectors
 * follow Logto's own Console tests (packages/integration-tests/src/tests/console/).
 */
import type { Locator, Page } from 'playwright-core';

const waitMs = 60_000;

export type ConsoleAdmin = { username: string; password: string };

/** /console → the welcome page → Create account → username → password → Get started. */
export const createFirstAdmin = async (
  page: Page,
  adminEndpoint: string,
  { username, password }: ConsoleAdmin,
): Promise<void> => {
  await page.goto(`${adminEndpoint}/console`);
  await page.waitForURL((url) => url.pathname === '/console/welcome', { timeout: waitMs });
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.locator('input[name="identifier"]').fill(username, { timeout: waitMs });
  await page.locator('button[name="submit"]').click();
  await page.locator('input[name="newPassword"]').fill(password, { timeout: waitMs });
  await page.locator('input[name="confirmPassword"]').fill(password);
  await page.locator('button[name="submit"]').click();
  await page.waitForURL((url) => url.pathname.startsWith('/console/get-started'), {
    timeout: waitMs,
  });
};

/**
 * Connectors → Social → Add Social Connector → Xiaomi → Next: Logto's guide, the README beside
 * the form. Fills the required fields and saves; ends on the connector's details page.
 */
export const addXiaomiConnector = async (
  page: Page,
  adminEndpoint: string,
  {
    factoryId,
    clientId,
    clientSecret,
    onGuide,
  }: {
    factoryId: string;
    clientId: string;
    clientSecret: string;
    /** Called while the guide (README beside the form) is open. */
    onGuide: (guide: Locator) => Promise<void>;
  },
): Promise<void> => {
  await page.goto(`${adminEndpoint}/console/connectors/social`);
  await page
    .getByRole('button', { name: 'Add Social Connector' })
    .first()
    .click({ timeout: waitMs });
  const modal = page.locator('.ReactModalPortal');
  await modal
    .locator(`div[role=radio]:has(input[name=group][value="${factoryId}"])`)
    .click({ timeout: waitMs });
  await modal.getByRole('button', { name: 'Next' }).click();
  const form = modal.locator('form');
  await form.locator('input[name="formConfig.clientId"]').fill(clientId, { timeout: waitMs });
  await form.locator('input[name="formConfig.clientSecret"]').fill(clientSecret);
  await onGuide(modal);
  await form.getByRole('button', { name: 'Save and Done' }).click();
  await page.waitForURL((url) => /^\/console\/connectors\/social\/[^/]+/.test(url.pathname), {
    timeout: waitMs,
  });
};

/** The details page's "Check README": Logto's Drawer (a react-modal dialog) with the README. */
export const openReadmeDrawer = async (page: Page): Promise<Locator> => {
  await page.getByRole('button', { name: 'Check README' }).click({ timeout: waitMs });
  const drawer = page.locator('.ReactModal__Content').filter({ has: page.locator('h1, h2') });
  await drawer.waitFor({ timeout: waitMs });
  // Past the drawer's slide-in animation, so the screenshot shows it in place.
  await page.waitForTimeout(1000);
  return drawer;
};

/** The headings of the drawer that are within its first screen (the drawer's visible part). */
export const visibleHeadings = async (drawer: Locator): Promise<string[]> =>
  drawer.evaluate((element) => {
    const box = element.getBoundingClientRect();
    return Array.from(element.querySelectorAll('h1, h2, h3, h4'))
      .filter((heading) => {
        const rect = heading.getBoundingClientRect();
        return rect.top >= box.top && rect.bottom <= Math.min(box.bottom, window.innerHeight);
      })
      .map((heading) => `${heading.tagName.toLowerCase()} ${heading.textContent?.trim() ?? ''}`);
  });

/**
 * The drawer's text within its first screen, a line per block (paragraph, heading, list item, cell),
 * in page order: what a reader sees before scrolling.
 */
export const visibleText = async (drawer: Locator): Promise<string> =>
  drawer.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const bottom = Math.min(box.bottom, window.innerHeight);
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const lines = new Map<Element, string>();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.replace(/\s+/g, ' ') ?? '';
      const range = document.createRange();
      range.selectNodeContents(node);
      const rect = range.getBoundingClientRect();
      const block = node.parentElement?.closest('p, li, h1, h2, h3, h4, h5, h6, pre, td, th, div');
      if (text.trim() && block && rect.height > 0 && rect.top < bottom && rect.bottom > box.top) {
        lines.set(block, `${lines.get(block) ?? ''}${text}`);
      }
    }
    return [...lines.values()].map((line) => line.trim()).join('\n');
  });
