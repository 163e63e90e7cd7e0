/**
 * Disaster-mode routes.
 * Operator (bearer token, `auth: 'operator'`):
 * - POST /operator/v1/disaster-declarations `{ name, municipalities: [...], startsAt, endsAt }` → the declaration
 * - GET  /operator/v1/disaster-declarations → `{ declarations: [...] }` (with `open` now)
 * - POST /operator/v1/disaster-declarations/close `{ id }` → the declaration, closed
 * - POST /operator/v1/institution-locations `{ institutionCode, municipality }` → the location
 * Institution (client certificate):
 * - POST /oqs/v1/disaster-searches `{ nameKana, birthdate, sex?, address?, reason }` → `{ declarationId, persons }`
 */
import { OnshiError, type Person } from '@onshi/core';
import { terminalUserOf } from '../audit/audit.terminal-user.ts';
import { institutionOf } from '../http/institution.ts';
import { instant, jsonObject, optionalString, requiredString, stringList } from '../http/json-body.ts';
import type { PlainOperation } from '../http/openapi.ts';
import { type HttpRequest, jsonReply, type Route } from '../http/types.ts';
import type { Declaration, DisasterService } from './disaster.service.ts';

export const disasterPaths = {
  declarations: '/operator/v1/disaster-declarations',
  close: '/operator/v1/disaster-declarations/close',
  locations: '/operator/v1/institution-locations',
  searches: '/oqs/v1/disaster-searches',
} as const;

function declarationJson(d: Declaration & { open?: boolean }) {
  return {
    id: d.declarationId,
    name: d.name,
    municipalities: d.municipalities,
    startsAt: new Date(d.startsAt).toISOString(),
    endsAt: new Date(d.endsAt).toISOString(),
    closedAt: d.closedAt === undefined ? null : new Date(d.closedAt).toISOString(),
    ...(d.open === undefined ? {} : { open: d.open }),
  };
}

function personJson(p: Person) {
  return {
    personId: p.personId,
    name: p.name,
    nameKana: p.nameKana,
    sex: p.sex,
    birthdate: p.birthdate,
    address: p.address ?? null,
  };
}

export function disasterRoutes(service: DisasterService): Route[] {
  const small = 64 * 1024;
  return [
    {
      method: 'POST',
      path: disasterPaths.declarations,
      auth: 'operator',
      maxBodyBytes: small,
      handler: async (request) => {
        const body = jsonObject(request.body, ['name', 'municipalities', 'startsAt', 'endsAt']);
        const declaration = await service.open({
          name: requiredString(body, 'name'),
          municipalities: stringList(body, 'municipalities') ?? [],
          startsAt: instant(body, 'startsAt'),
          endsAt: instant(body, 'endsAt'),
        });
        return jsonReply(200, declarationJson(declaration));
      },
    },
    {
      method: 'GET',
      path: disasterPaths.declarations,
      auth: 'operator',
      handler: async () => jsonReply(200, { declarations: (await service.list()).map(declarationJson) }),
    },
    {
      method: 'POST',
      path: disasterPaths.close,
      auth: 'operator',
      maxBodyBytes: small,
      handler: async (request) => {
        const id = jsonObject(request.body, ['id']).id;
        if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
          throw new OnshiError('MSG_FIELD_INVALID', { field: 'id', detail: '整数である必要があります' });
        }
        return jsonReply(200, declarationJson(await service.close(id)));
      },
    },
    {
      method: 'POST',
      path: disasterPaths.locations,
      auth: 'operator',
      maxBodyBytes: small,
      handler: async (request) => {
        const body = jsonObject(request.body, ['institutionCode', 'municipality']);
        const located = await service.locate(
          requiredString(body, 'institutionCode'),
          requiredString(body, 'municipality'),
        );
        return jsonReply(200, located);
      },
    },
    {
      method: 'POST',
      path: disasterPaths.searches,
      auth: 'institution',
      maxBodyBytes: small,
      handler: async (request: HttpRequest) => {
        const body = jsonObject(request.body, ['nameKana', 'birthdate', 'sex', 'address', 'reason']);
        const found = await service.search(
          institutionOf(request),
          {
            nameKana: requiredString(body, 'nameKana'),
            birthdate: requiredString(body, 'birthdate'),
            sex: optionalString(body, 'sex'),
            address: optionalString(body, 'address'),
            reason: optionalString(body, 'reason'),
          },
          { terminalUser: terminalUserOf(request) },
        );
        return jsonReply(200, { declarationId: found.declarationId, persons: found.persons.map(personJson) });
      },
    },
  ];
}

const declarationSchema = {
  type: 'object',
  required: ['id', 'name', 'municipalities', 'startsAt', 'endsAt', 'closedAt'],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    municipalities: { type: 'array', items: { type: 'string', pattern: '^\\d{5}$' } },
    startsAt: { type: 'string', format: 'date-time' },
    endsAt: { type: 'string', format: 'date-time' },
    closedAt: { type: ['string', 'null'], format: 'date-time' },
    open: { type: 'boolean' },
  },
};

export const disasterOperations: readonly PlainOperation[] = [
  {
    method: 'post',
    path: disasterPaths.declarations,
    summary: '災害時モードの宣言（運用者: 市区町村コードと期間; 期間の終わりに自動で終了）',
    requestContentType: 'application/json',
    response: declarationSchema,
  },
  {
    method: 'get',
    path: disasterPaths.declarations,
    summary: '災害時モードの宣言一覧（運用者）',
    response: { type: 'object', properties: { declarations: { type: 'array', items: declarationSchema } } },
  },
  {
    method: 'post',
    path: disasterPaths.close,
    summary: '災害時モードの宣言を期間前に終了する（運用者）',
    requestContentType: 'application/json',
    response: declarationSchema,
  },
  {
    method: 'post',
    path: disasterPaths.locations,
    summary: '医療機関の所在地（市区町村コード）の登録（運用者）',
    requestContentType: 'application/json',
    response: { type: 'object' },
  },
  {
    method: 'post',
    path: disasterPaths.searches,
    summary: '災害時の患者検索（氏名カナ・生年月日・性別・住所; 利用理由必須、監査記録）',
    requestContentType: 'application/json',
    response: {
      type: 'object',
      properties: {
        declarationId: { type: 'integer' },
        persons: { type: 'array', items: { type: 'object' } },
      },
    },
  },
];
