export {
  type CentralAnswer,
  type CentralClient,
  centralPaths,
  createHttpsCentralClient,
  type HttpsClientOptions,
} from './connector/connector.client.ts';
export {
  isIgnoredName,
  parseRequestName,
  type RequestKind,
  resultNameFor,
} from './connector/connector.names.ts';
export { type ConnectorRepo, openConnectorRepo, type RequestState } from './connector/connector.repo.ts';
export { type ConnectorSettings, type RunningConnector, runConnector } from './connector/connector.run.ts';
export {
  type Connector,
  type ConnectorDeps,
  type ConnectorOptions,
  createConnector,
  defaultConnectorOptions,
} from './connector/connector.service.ts';
export { type ConnectorDirs, connectorDirs } from './connector/connector.writer.ts';
export {
  type CertificateInfo,
  certificateInfo,
  type ExpirySeverity,
  expiryThresholds,
  expiryWarning,
} from './station/station.certs.ts';
export { faceFileName, faceFilePattern, parseFaceFileName } from './station/station.face.ts';
export { type ReaderRecord, readerEventKinds } from './station/station.records.ts';
export { classifyOutcome, type Outcome, type ResultView, resultView } from './station/station.result.ts';
export type { StationSettings } from './station/station.settings.ts';
export {
  createUser,
  DEFAULT_UI_PORT,
  defaultReaderTokenFile,
  ensureUser,
  type RunningTerminal,
  startTerminal,
  type TerminalDeps,
  type TerminalSettings,
  terminalDbPath,
} from './station/station.start.ts';
export { type NewUser, type Role, roles, type User } from './station/station.users.ts';
