export { type AppDeps, buildApp, paths } from './app.ts';
export type { AuditAction, AuditEntry, AuditRecord } from './audit/audit.hash.ts';
export { type AccessLogEntry, appendAudit, listAccessesOf } from './audit/audit.repo.ts';
export { terminalUserOf } from './audit/audit.terminal-user.ts';
export { type AuditVerification, verifyAuditChain } from './audit/audit.verify.ts';
export { type AuditLog, createAuditLog } from './audit/audit.writer.ts';
export type { CardLinkImportReport, ImportCardLinksOptions } from './card-check/card-check.links.ts';
export { importCardLinks } from './card-check/card-check.links.ts';
export type { CardCheckPkiConfig, ConfiguredCardVerifier } from './card-check/card-check.pki.ts';
export { createCardCheckFromConfig, httpOcspTransport } from './card-check/card-check.pki.ts';
export type { CardCheckRouteDeps } from './card-check/card-check.routes.ts';
export {
  cardCheckExtraRoutes,
  cardCheckOperations,
  cardCheckPaths,
  cardCheckRoutes,
} from './card-check/card-check.routes.ts';
export type {
  CardCheckDeps,
  CardCheckService,
  CardRegistrationResult,
  IssuedChallenge,
} from './card-check/card-check.service.ts';
export { createCardCheckService, DEFAULT_CHALLENGE_SECONDS } from './card-check/card-check.service.ts';
export { type CentralDeps, type RunningCentral, startCentral } from './central.ts';
export {
  findElderlyCertificate,
  findLimitCertificate,
  listSpecificDiseaseCertificates,
  upsertElderlyCertificate,
  upsertLimitCertificate,
  upsertSpecificDiseaseCertificate,
} from './certificates/certificates.repo.ts';
export { type ClientResponse, httpsRequest, type TlsClient } from './client/https-client.ts';
export { type CentralConfig, configVariables, loadConfig, loadConfigFromEnvironment } from './config.ts';
export { consentPaths } from './consent/consent.routes.ts';
export {
  consentElements,
  consentState,
  type ReaderAnswers,
  recordReaderConsents,
  requireLiveConsent,
  revokeConsent,
} from './consent/consent.service.ts';
export {
  createDisasterService,
  type Declaration,
  type DisasterSearch,
  type DisasterService,
  isDisasterOpenFor,
  requireDisasterOpenFor,
  requireReason,
} from './disaster/disaster.service.ts';
export type { ConfirmOptions, EligibilityService } from './eligibility/eligibility.service.ts';
export { createEligibilityService } from './eligibility/eligibility.service.ts';
export type { FeedRecord } from './feed/feed.format.ts';
export { FEED_FORMAT } from './feed/feed.format.ts';
export type { FeedRejection, FeedReport, FeedService, ImportFeedInput } from './feed/feed.service.ts';
export { createFeedService, importFeed } from './feed/feed.service.ts';
export { type Authenticator, createAuthenticator } from './http/auth.ts';
export { openApiDocument } from './http/openapi.ts';
export type { Router } from './http/router.ts';
export { type RunningServer, startServer } from './http/server.ts';
export { findInsurer, upsertInsurer } from './insurers/insurers.repo.ts';
export { createLogger, type Logger } from './log.ts';
export * from './medical/index.ts';
export * from './medinfo/index.ts';
export type { NewPerson } from './persons/persons.repo.ts';
export {
  findPerson,
  findPersonByKey,
  insertPerson,
  listPersonIds,
  updatePerson,
} from './persons/persons.repo.ts';
export type {
  CardKey,
  NewQualification,
  QualificationEvent,
  QualificationEventKind,
} from './qualifications/qualifications.repo.ts';
export {
  findByCardKey,
  findQualification,
  insertEvent,
  insertQualification,
  listByPerson,
  listEvents,
  updateQualification,
} from './qualifications/qualifications.repo.ts';
export { findReferenceNumber, upsertReferenceNumber } from './reference-numbers/reference-numbers.repo.ts';
export type {
  ReferenceNumberService,
  RegisterOptions,
} from './reference-numbers/reference-numbers.service.ts';
export { createReferenceNumberService } from './reference-numbers/reference-numbers.service.ts';
export {
  type RetentionSchedule,
  runRetention,
  startRetentionSchedule,
} from './retention/retention.schedule.ts';
export type { PurgeReport } from './retention/retention.service.ts';
export {
  CHECKUP_RETENTION_YEARS,
  MEDICATION_RETENTION_YEARS,
  purgeExpired,
  RETENTION_YEARS,
  retentionCutoff,
} from './retention/retention.service.ts';
export type {
  HouseholdRecords,
  InsurerCatalogue,
  PopulationOptions,
  ProgressBar,
  ProgressOptions,
  SeedOptions,
  SeedReport,
} from './seed/index.ts';
export {
  DEFAULT_AS_OF,
  generatePopulation,
  insurerCatalogue,
  progressBar,
  renderProgress,
  sampleCardQueries,
  seedStore,
} from './seed/index.ts';
export { checkPaths, createSightingRecorder, type SightingRecorder } from './sightings/sightings.recorder.ts';
export { listSightings, recordSighting, type Sighting } from './sightings/sightings.repo.ts';
export type { Migration, MigrationReport } from './store/migrate.ts';
export { appliedVersions, dialectSql, migrate, migrations } from './store/migrate.ts';
export type { Dialect, SqlValue, Store, StoreOptions } from './store/store.ts';
export { openStore } from './store/store.ts';
