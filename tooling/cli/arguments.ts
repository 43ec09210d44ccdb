/**
 * The command line of every workbook command, read one way: a flag it does not know,
 * a flag without its value, or an argument it does not take is named in one line,
 * followed by the command's usage — never Node's own parser text or a stack trace.
 *
 * Built on `parseArgs`' tokens rather than its strict mode, whose messages differ
 * between Node versions; and so that a flag can take an optional `=value`
 * (`--json` or `--json=results.json`).
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { course } from '../../exercises/manifest.ts';
import type { ExerciseSpec } from '../course/define.ts';
import { editDistance, findExercise, UnknownExerciseError } from '../course/lookup.ts';
import { exitWith } from './terminal.ts';

export interface FlagSpec {
  /** `optional`: `--flag` alone, or `--flag=value`. */
  readonly type: 'boolean' | 'string' | 'optional';
  readonly short?: string;
  /** A string flag that may be given several times. */
  readonly multiple?: boolean;
  /** Not the command's own: handed on, as typed, to the program it starts (`npm start` → docusaurus). */
  readonly passThrough?: boolean;
}

type FlagValue<S extends FlagSpec> = S['multiple'] extends true ? string[] : S['type'] extends 'boolean' ? boolean : S['type'] extends 'string' ? string : string | true;

export interface CommandSpec<F extends Record<string, FlagSpec>> {
  /** Shown after every mistake, and by `--help`. */
  readonly usage: string;
  readonly flags: F;
  /** Whether the command takes arguments that are not flags (exercise ids). */
  readonly positionals: boolean;
}

export interface CommandLine<F extends Record<string, FlagSpec>> {
  readonly flags: { readonly [K in keyof F]?: FlagValue<F[K]> };
  readonly positionals: readonly string[];
  /** The pass-through flags, as typed. */
  readonly passThrough: readonly string[];
  /** Refuses the command line: `message`, then the usage; exit code 2. */
  refuse(message: string): never;
}

/** Reads `args` for `command`; on a mistake, prints what was wrong and the usage and exits with code 2. `--help` prints the usage. */
export function parseCommandLine<const F extends Record<string, FlagSpec>>(command: CommandSpec<F>, args: readonly string[] = process.argv.slice(2)): CommandLine<F> {
  const refuse: (message: string) => never = (message) => exitWith(`${message}\n\n${command.usage}`);
  const specs: Record<string, FlagSpec> = { ...command.flags, help: { type: 'boolean', short: 'h' } };
  const { tokens } = parseArgs({
    args: [...args],
    strict: false,
    allowPositionals: true,
    tokens: true,
    // Only string flags take the next argument as their value; `optional` ones take `=value` only.
    options: Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { type: spec.type === 'string' ? 'string' : 'boolean', ...(spec.short ? { short: spec.short } : {}) }])),
  });

  const flags: Record<string, string | boolean | string[]> = {};
  const positionals: string[] = [];
  const passThrough: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (!command.positionals) refuse(`Unexpected argument "${token.value}": this command takes flags only.`);
      positionals.push(token.value);
      continue;
    }
    const spec = specs[token.name];
    if (!spec) refuse(`Unknown flag ${token.rawName}.${suggestion(token.rawName, Object.keys(specs))}`);
    if (spec.type === 'boolean' && token.value !== undefined) refuse(`The flag ${token.rawName} takes no value (got ${token.rawName}=${token.value}).`);
    if (spec.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))) {
      refuse(`The flag ${token.rawName} needs a value: ${token.rawName} <value>.`);
    }
    if (spec.type === 'optional' && token.value === '') refuse(`The flag ${token.rawName}= needs a value after "=" (or leave the "=" out).`);
    const value = token.value ?? true;
    if (spec.passThrough) {
      if (token.value === undefined) passThrough.push(token.rawName);
      else if (!token.inlineValue) passThrough.push(token.rawName, token.value);
      else passThrough.push(token.rawName.startsWith('--') ? `${token.rawName}=${token.value}` : `${token.rawName}${token.value}`);
    }
    if (spec.multiple) flags[token.name] = [...((flags[token.name] as string[] | undefined) ?? []), String(value)];
    else flags[token.name] = value;
  }
  if (flags.help === true) {
    console.log(command.usage);
    process.exit(0);
  }
  return { flags: flags as CommandLine<F>['flags'], positionals, passThrough, refuse };
}

/** ` Did you mean --solutions?` for a near miss among the known flags. */
function suggestion(typed: string, known: readonly string[]): string {
  const bare = typed.replace(/^-+/, '').toLowerCase();
  const closest = known
    .map((name) => ({ name, distance: editDistance(bare, name) }))
    .sort((a, b) => a.distance - b.distance)[0];
  return closest && bare.length > 1 && closest.distance <= Math.max(1, Math.floor(closest.name.length / 3)) ? ` Did you mean --${closest.name}?` : '';
}

/** A port from a flag's value: an integer from `lowest` to 65535, or the command is refused. */
export function portFlag(refuse: (message: string) => never, flag: string, value: string | undefined, fallback: number, lowest = 0): number {
  if (value === undefined) return fallback;
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port < lowest || port > 65535) refuse(`--${flag} must be a port number (${lowest} to 65535), not "${value}".`);
  return port;
}

/** A count from a flag's value: a whole number above 0, or the command is refused. */
export function countFlag(refuse: (message: string) => never, flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const count = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(Number.isSafeInteger(count) && count > 0)) refuse(`--${flag} takes a whole number above 0, not "${value}".`);
  return count;
}

/** The exercises named by id or number; a name that is none is refused with the closest id and the list (exit code 2). */
export function namedExercises(queries: readonly string[]): ExerciseSpec[] {
  try {
    return queries.map((query) => findExercise(course, query));
  } catch (error) {
    if (error instanceof UnknownExerciseError) exitWith(error.message);
    throw error;
  }
}
