/**
 * The response header in which the server gives its clock, in milliseconds since the epoch
 * (the `Date` header has whole seconds only). Counters correct their own clocks with it.
 */
export const SERVER_TIME_HEADER = 'x-kopek-time';
