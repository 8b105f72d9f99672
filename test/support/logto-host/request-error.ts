/**
 * What Logto core throws where it refuses a request itself (packages/core/src/errors/RequestError,
 * v1.41.0): a phrase code and a status, never a ConnectorError.
 */
export class LogtoRequestError extends Error {
  override readonly name = 'RequestError';

  constructor(
    readonly code: string,
    readonly status = 400,
  ) {
    super(code);
  }
}

/** Core's assertThat (packages/core/src/utils/assert-that.ts) with a RequestError. */
export function assertThat(condition: unknown, code: string, status?: number): asserts condition {
  if (!condition) {
    throw new LogtoRequestError(code, status);
  }
}
