/**
 * A simulated Xiaomi account service for tests and the playground. See `server.ts` for the
 * behaviour and the choices made where Xiaomi's documents leave room.
 */
export {
  createSampleAccounts,
  defaultPlaygroundPort,
  defaultSimulatorApp,
  defaultSimulatorMobileApp,
  errorCodes,
  errorNames,
  faultFlags,
  scopeDescriptions,
  type IssuedSecret,
  type SimulatorAccount,
  type SimulatorApp,
  type SimulatorCall,
  type SimulatorFaults,
} from './data.js';
export type { BackLink } from './back-link.js';
export { isRegisteredRedirectUri, matchesRedirectUri } from './redirect-uri.js';
export type { SdkCodeRequest, SdkCodeResult } from './sdk-code.js';
export {
  parseFaults,
  startXiaomiSimulator,
  type StartXiaomiSimulatorOptions,
  type XiaomiSimulator,
} from './server.js';
