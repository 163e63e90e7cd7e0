/**
 * Central's card routes (packages/central card-check.routes.ts `cardCheckPaths`), named here so
 * the terminal does not load central's server code to learn three strings.
 */
export const cardCheckPaths = {
  challenges: '/oqs/v1/card-challenges',
  confirmations: '/oqs/v1/card-confirmations',
  registrations: '/oqs/v1/card-registrations',
} as const;

/** Central's medical-information routes (packages/central medinfo.routes.ts `medinfoPaths`). */
export const medinfoPaths = {
  medications: '/oqs/v1/medication-information',
  checkups: '/oqs/v1/checkup-information',
} as const;
