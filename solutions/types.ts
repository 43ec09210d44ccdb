/**
 * The shared exercise types, re-exported so that a solution imports them exactly as
 * its starter does (`../types.ts`), and a diff of the two shows only the lesson.
 *
 * @module
 */
export type * from '../exercises/types.ts';
