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
