/**
 * 薬剤情報 (YZK) and 特定健診情報 (TKK) retrieval. Each view passes, in this order:
 *
 * 1. the viewer: a terminal user (x-onshi-terminal-user) whose role (x-onshi-terminal-role) is
 *    `viewer` 医療情報閲覧者 — the terminal enforces the role at its login and vouches for it with
 *    the header; the institution's certificate vouches for the terminal; checked again here;
 * 2. the gate, one of:
 *    - consent: the person identified by card data (保険者番号 + 記号 + 番号 + 枝番; the birth date
 *      an extra check when given), with a live consent of that
 *      category at this institution (`requireLiveConsent`);
 *    - disaster mode (a DisasterUseReason, or a DisasterPersonIdentifier): a reason
 *      (`requireReason`), an open declaration for the institution's municipality
 *      (`requireDisasterOpenFor`), and the person by card data or by the internal id a disaster
 *      search of this institution returned during the declaration;
 * 3. the audit record (`view-medication` / `view-checkup`, with the terminal user and the reason),
 *    committed before the answer is returned.
 */
import {
  type CheckupInformationRequest,
  type CheckupInformationResult,
  type Clock,
  jstDate,
  jstDateTime,
  type MedicationInformationRequest,
  type MedicationInformationResult,
  OnshiError,
  type Person,
  toWireDateTime,
} from '@onshi/core';
import type { AuditLog } from '../audit/audit.writer.ts';
import { requireLiveConsent } from '../consent/consent.service.ts';
import { requireDisasterOpenFor, requireReason } from '../disaster/disaster.service.ts';
import { listCheckups, listMedications } from '../medical/medical.history.repo.ts';
import { findPerson } from '../persons/persons.repo.ts';
import type { Store } from '../store/store.ts';
import { findPersonIdsByCard, foundByDisasterSearch } from './medinfo.repo.ts';
import {
  type MedicalInfoKind,
  type ParsedMedicalInfoRequest,
  parseMedicalInfoRequest,
  periodOf,
  requireViewer,
  type Subject,
} from './medinfo.request.ts';
import { checkupResult, medicationResult, type StatusHeader } from './medinfo.result.ts';

export interface Viewer {
  /** x-onshi-terminal-user, decoded. */
  readonly terminalUser: string | undefined;
  /** x-onshi-terminal-role */
  readonly role: string | undefined;
}

export interface ViewOptions {
  readonly viewer: Viewer;
  /** OQSCD005 of the answer's encoding. */
  readonly characterCode: '0' | '1';
}

/** A view's result and what the route needs to choose the output. */
export interface MedicalInfoView<R> {
  readonly result: R;
  /** FileCategory of the request ('1' PDF, '2' XML), when given. */
  readonly fileCategory: '1' | '2' | undefined;
}

export interface MedicalInfoService {
  medications(
    request: MedicationInformationRequest,
    options: ViewOptions,
  ): Promise<MedicalInfoView<MedicationInformationResult>>;
  checkups(
    request: CheckupInformationRequest,
    options: ViewOptions,
  ): Promise<MedicalInfoView<CheckupInformationResult>>;
}

const auditAction = { YZK: 'view-medication', TKK: 'view-checkup' } as const;

export function createMedicalInfoService(deps: {
  readonly store: Store;
  readonly clock: Clock;
  readonly audit: AuditLog;
}): MedicalInfoService {
  const { store, clock, audit } = deps;

  async function personByCard(subject: Extract<Subject, { by: 'card' }>): Promise<Person> {
    const ids = await findPersonIdsByCard(store, subject.card, subject.birthdate);
    if (ids.length === 0) throw new OnshiError('MEDINFO_PERSON_NOT_FOUND');
    if (ids.length > 1) throw new OnshiError('MEDINFO_PERSON_AMBIGUOUS');
    return (await findPerson(store, ids[0]!))!;
  }

  /** The person the view is about, and the reason recorded with it; or a coded refusal. */
  async function authorize(request: ParsedMedicalInfoRequest, at: Date) {
    const { institutionCode, subject, kind } = request;
    if (request.disasterMode) {
      const reason = requireReason(request.disasterReason);
      const { declaration } = await requireDisasterOpenFor(store, institutionCode, at);
      let person: Person | undefined;
      if (subject.by === 'person') {
        const since = new Date(declaration.startsAt).toISOString();
        const found = await foundByDisasterSearch(store, institutionCode, subject.personId, since);
        if (!found) throw new OnshiError('MEDINFO_PERSON_NOT_SEARCHED', { personId: subject.personId });
        person = await findPerson(store, subject.personId);
        if (person === undefined) throw new OnshiError('MEDINFO_PERSON_NOT_FOUND');
      } else {
        person = await personByCard(subject);
      }
      return { person, reason: `災害時 ${declaration.declarationId}: ${reason}` };
    }
    if (subject.by !== 'card') throw new OnshiError('DISASTER_REASON_REQUIRED');
    const person = await personByCard(subject);
    await requireLiveConsent(store, institutionCode, person.personId, kind, at);
    return { person, reason: `同意 ${kind}` };
  }

  async function view<R>(
    kind: MedicalInfoKind,
    message: Parameters<typeof parseMedicalInfoRequest>[1],
    options: ViewOptions,
    build: (
      parsed: ParsedMedicalInfoRequest,
      header: StatusHeader,
      person: Person,
      today: string,
    ) => Promise<R>,
  ): Promise<MedicalInfoView<R>> {
    const terminalUser = requireViewer(options.viewer);
    const parsed = parseMedicalInfoRequest(kind, message);
    const at = clock.now();
    const { person, reason } = await authorize(parsed, at);
    const header: StatusHeader = {
      ProcessExecutionTime: toWireDateTime(jstDateTime(at)),
      MedicalInstitutionCode: parsed.institutionCode,
      ...(message.MessageHeader.ArbitraryFileIdentifier
        ? { ArbitraryFileIdentifier: message.MessageHeader.ArbitraryFileIdentifier }
        : {}),
      CharacterCodeIdentifier: options.characterCode,
    };
    const result = await build(parsed, header, person, jstDate(at));
    await audit.append({
      institutionCode: parsed.institutionCode,
      terminalUser,
      personId: person.personId,
      action: auditAction[kind],
      reason,
    });
    return { result, fileCategory: parsed.fileCategory };
  }

  return {
    medications: (request, options) =>
      view('YZK', request, options, async (parsed, header, person, today) => {
        const period = periodOf(parsed, today);
        const rows = await listMedications(store, person.personId, period);
        return medicationResult(header, person, period, rows);
      }),
    checkups: (request, options) =>
      view('TKK', request, options, async (parsed, header, person, today) => {
        const period = periodOf(parsed, today);
        return checkupResult(header, person, await listCheckups(store, person.personId, period));
      }),
  };
}
