import { ConnectorError } from '@logto/connector-kit';

/** Runs a promise that must fail, and returns the ConnectorError it failed with. */
export const connectorErrorOf = async (promise: Promise<unknown>): Promise<ConnectorError> => {
  try {
    await promise;
  } catch (error: unknown) {
    if (error instanceof ConnectorError) {
      return error;
    }
    throw new Error(`expected a ConnectorError, got ${String(error)}`);
  }
  throw new Error('expected a ConnectorError, but the call succeeded');
};
