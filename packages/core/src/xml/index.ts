/** Public surface of the message codec (see packages/core/README.md, "Message codec"). */
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_DEPTH,
  type DecodeOptions,
  decodeMessage,
  type EncodeOptions,
  encodeMessage,
  messageToXml,
} from './codec.ts';
export { encodeCp932 } from './cp932.ts';
export { characterCodeFor, detectEncoding, encodingFromLabel, type XmlEncoding } from './encoding.ts';
export { messageFromJson, messageToJson } from './json.ts';
export {
  type Children,
  defineMessage,
  type ElementDef,
  type GroupDef,
  group,
  type InferChildren,
  type InferElement,
  type MessageSchema,
  type Occurs,
  type TextDef,
  text,
} from './schema.ts';
export {
  attributeValue,
  childElements,
  parseXmlTree,
  type TreeOptions,
  type XmlAttribute,
  type XmlElement,
  type XmlTree,
} from './tree.ts';
