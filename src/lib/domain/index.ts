/**
 * Kopek's domain rules, pure and isomorphic: the browser and the server import the same
 * functions from here, so a rule can never differ between the two sides.
 */
export * from './money';
export * from './customer-id';
export * from './inn';
export * from './phone';
export * from './password';
export * from './common-passwords';
export * from './email';
export * from './uuid';
export * from './postcode';
export * from './random';
export * from './text';
export * from './otp';
export * from './redeem';
