/**
 * Terminal output: colours when the output is a terminal that wants them, plain text otherwise.
 *
 * @module
 */

const useColour = process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';

const paint = (code: number) => (text: string) => (useColour ? `\x1b[${code}m${text}\x1b[0m` : text);

export const style = {
  bold: paint(1),
  dim: paint(2),
  red: paint(31),
  green: paint(32),
  yellow: paint(33),
  cyan: paint(36),
};

/** Indents every line of `text` by `spaces`. */
export function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join('\n');
}

/** Prints `message` to stderr and exits with `code`: for input the learner can fix. */
export function exitWith(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

/**
 * Notices held back until the command's own output is printed, where they are seen
 * last (e.g. "your progress was not saved"), each once, on stderr.
 */
export function heldNotices(): { readonly notice: (line: string) => void; print(): void } {
  const lines = new Set<string>();
  return {
    notice: (line) => lines.add(line),
    print: () => {
      for (const line of lines) console.error(style.yellow(line));
      lines.clear();
    },
  };
}
