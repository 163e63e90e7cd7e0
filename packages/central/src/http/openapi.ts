/**
 * The OpenAPI document, generated from the same message schemas the codec uses, so that the API
 * description cannot drift from what the service parses. Served at GET /openapi.json.
 */
import { errorCatalogue, type MessageSchema } from '@onshi/core';

type SchemaNode = MessageSchema<unknown>['root'];
type JsonSchema = Record<string, unknown>;

/** JSON Schema of one element: text is a string; a group is an object; repeated → array. */
function elementSchema(node: SchemaNode): JsonSchema {
  const single: JsonSchema =
    node.kind === 0
      ? { type: 'string' }
      : {
          type: 'object',
          additionalProperties: false,
          properties: Object.fromEntries(node.children.map((c) => [c.name, elementSchema(c)])),
          ...(node.requiredChildren.length > 0 ? { required: node.requiredChildren.map((c) => c.name) } : {}),
        };
  return node.repeated ? { type: 'array', items: single } : single;
}

/** The JSON form of a message: `{ "XmlMsg": … }`. */
export function messageJsonSchema(schema: MessageSchema<unknown>): JsonSchema {
  return {
    type: 'object',
    description: `${schema.id} ${schema.name}`,
    additionalProperties: false,
    required: ['XmlMsg'],
    properties: { XmlMsg: elementSchema(schema.root) },
  };
}

export interface OqsOperation {
  readonly path: string;
  readonly summary: string;
  readonly request: MessageSchema<unknown>;
  readonly result: MessageSchema<unknown>;
  /** More about the operation (appended to the generated description). */
  readonly description?: string;
  /** The result may also be answered as a PDF (Accept: application/pdf). */
  readonly pdf?: boolean;
  /** Request headers the operation reads. */
  readonly headers?: readonly {
    readonly name: string;
    readonly required: boolean;
    readonly description: string;
  }[];
}

export interface PlainOperation {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly summary: string;
  readonly requestContentType?: string;
  readonly response: JsonSchema;
}

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['code', 'message', 'requestId'],
  properties: {
    code: { type: 'string', enum: Object.keys(errorCatalogue) },
    message: { type: 'string' },
    requestId: { type: 'string' },
  },
};

function oqsPath(op: OqsOperation): JsonSchema {
  const xml = { schema: { type: 'string', description: 'OQS XML document, UTF-8 or Shift_JIS' } };
  const pdf = op.pdf ? { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } : {};
  return {
    post: {
      summary: op.summary,
      description: `${op.request.id} → ${op.result.id}. Send the XML document (application/xml) or its JSON mirror (application/json).${op.description ? ` ${op.description}` : ''}`,
      ...(op.headers
        ? {
            parameters: op.headers.map((h) => ({
              name: h.name,
              in: 'header',
              required: h.required,
              description: h.description,
              schema: { type: 'string' },
            })),
          }
        : {}),
      requestBody: {
        required: true,
        content: { 'application/xml': xml, 'application/json': { schema: messageJsonSchema(op.request) } },
      },
      responses: {
        '200': {
          description: `${op.result.id} ${op.result.name}`,
          content: {
            'application/xml': xml,
            'application/json': { schema: messageJsonSchema(op.result) },
            ...pdf,
          },
        },
        default: {
          description: 'Error: JSON `{ code, message, requestId }`; XML: a result with SegmentOfResult 9',
          content: { 'application/json': { schema: errorSchema }, 'application/xml': xml },
        },
      },
    },
  };
}

function plainPath(op: PlainOperation): JsonSchema {
  return {
    [op.method]: {
      summary: op.summary,
      ...(op.requestContentType
        ? {
            requestBody: {
              required: true,
              content: { [op.requestContentType]: { schema: { type: 'string' } } },
            },
          }
        : {}),
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: op.response } } },
        default: { description: 'Error', content: { 'application/json': { schema: errorSchema } } },
      },
    },
  };
}

export function openApiDocument(oqs: readonly OqsOperation[], plain: readonly PlainOperation[]): JsonSchema {
  const paths: Record<string, JsonSchema> = {};
  for (const op of oqs) paths[op.path] = oqsPath(op);
  for (const op of plain) paths[op.path] = { ...paths[op.path], ...plainPath(op) };
  return {
    openapi: '3.1.0',
    info: {
      title: 'onshi central service (オンライン資格確認等システム)',
      version: '0.1.0',
      description: 'Element names and codes follow the official OQS interface (OQS-IF-0xx, OQSCD0xx).',
    },
    paths,
    components: { schemas: { Error: errorSchema } },
  };
}
