/**
 * The response header by which the server tells a paired terminal it was revoked, on every
 * tRPC answer it gives that terminal (issue 19): the terminal stops taking payments at its
 * next contact, whatever the call was, instead of at the sync of its next payment.
 */
export const TERMINAL_STATE_HEADER = 'x-kopek-terminal';
export const TERMINAL_REVOKED_STATE = 'revoked';
