/**
 * The Android app's HTTP client, talking to Logto as the app would: one client per sign-in that
 * keeps Logto's cookies (Logto keeps the sign-in in its OIDC interaction cookie), or one with the
 * user's access token as a bearer and no cookies (Account API). Playwright's APIRequestContext,
 * without a browser, holds the cookies. Every call is noted as "METHOD /path → status [code]",
 * never with a body, a query or a header, so a step can show the sequence as it ran.
 */
import { request, type APIRequestContext, type APIResponse } from 'playwright-core';
import type { z } from 'zod';

import { LogtoApiError, readLogtoAnswer } from './management-api.js';

export type AppHttp = {
  /** The calls so far, in order. */
  sequence: string[];
  /**
   * A JSON call; a 2xx answer other than `expect` throws, and so does any other status (a
   * LogtoApiError naming Logto's code, noted in the sequence first).
   */
  call<T extends z.ZodTypeAny>(
    method: 'get' | 'post' | 'put',
    path: string,
    guard: T,
    options: { expect: number; json?: unknown; headers?: Record<string, string> },
  ): Promise<z.infer<T>>;
  /** A form post (Logto's token endpoint). */
  postForm<T extends z.ZodTypeAny>(
    path: string,
    form: Record<string, string>,
    guard: T,
  ): Promise<z.infer<T>>;
  /** A GET whose redirect is not followed: its status and Location. */
  visit(url: string): Promise<{ status: number; location?: string }>;
  /** The names of the cookies the client keeps. */
  cookieNames(): Promise<string[]>;
  dispose(): Promise<void>;
};

/** A path as the sequence shows it: an interaction's id replaced, no query. */
const shownPath = (url: URL) => url.pathname.replace(/^\/oidc\/auth\/[^/]+$/, '/oidc/auth/:uid');

export const createAppHttp = async (
  endpoint: string,
  { bearer }: { bearer?: string } = {},
): Promise<AppHttp> => {
  const context: APIRequestContext = await request.newContext({
    baseURL: endpoint,
    ...(bearer && { extraHTTPHeaders: { authorization: `Bearer ${bearer}` } }),
  });
  const sequence: string[] = [];

  const read = async <T extends z.ZodTypeAny>(
    method: string,
    response: APIResponse,
    guard: T,
    expect?: number,
  ): Promise<z.infer<T>> => {
    const path = shownPath(new URL(response.url()));
    const status = response.status();
    // Koa answers a 201 or 204 without a body with its status text ("Created"), not JSON.
    const json = response.headers()['content-type']?.includes('json') ?? false;
    const text = json || !response.ok() ? await response.text() : '';
    try {
      const body: z.infer<T> = readLogtoAnswer({ method, path, status, text }, guard);
      sequence.push(`${method.toUpperCase()} ${path} → ${status}`);
      if (expect !== undefined && status !== expect) {
        throw new Error(`${method.toUpperCase()} ${path} → ${status}, expected ${expect}`);
      }
      return body;
    } catch (error: unknown) {
      if (error instanceof LogtoApiError) {
        sequence.push(`${method.toUpperCase()} ${path} → ${status} ${error.code}`);
      }
      throw error;
    }
  };

  return {
    sequence,
    call: async (method, path, guard, { expect, json, headers }) =>
      read(
        method,
        await context.fetch(path, { method, data: json, headers, maxRedirects: 0 }),
        guard,
        expect,
      ),
    postForm: async (path, form, guard) =>
      read('post', await context.post(path, { form, maxRedirects: 0 }), guard, 200),
    visit: async (url) => {
      const response = await context.get(url, { maxRedirects: 0 });
      const location = response.headers().location;
      sequence.push(`GET ${shownPath(new URL(response.url()))} → ${response.status()}`);
      return { status: response.status(), location };
    },
    cookieNames: async () => (await context.storageState()).cookies.map(({ name }) => name),
    dispose: async () => context.dispose(),
  };
};
