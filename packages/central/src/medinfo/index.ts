/** 薬剤情報 (YZK) and 特定健診情報 (TKK) retrieval (README.md in this folder). */

export { checkupPdf, medicationPdf } from './medinfo.pdf.ts';
export {
  answerFormat,
  medinfoOperations,
  medinfoPaths,
  medinfoRoutes,
  TERMINAL_ROLE_HEADER,
} from './medinfo.routes.ts';
export {
  createMedicalInfoService,
  type MedicalInfoService,
  type MedicalInfoView,
  type Viewer,
  type ViewOptions,
} from './medinfo.service.ts';
export { type Report, type ReportColumn, type ReportSection, reportPdf } from './pdf.report.ts';
export { type PdfOptions, type PdfPage, writePdf } from './pdf.writer.ts';
