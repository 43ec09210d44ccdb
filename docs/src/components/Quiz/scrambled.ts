/**
 * A shuffled order that is the same on the server and in the browser (so React
 * hydrates without a mismatch) and never already solved.
 */
export function scrambled(length: number, seedText: string): number[] {
  // A plain loop, not [...seedText]: the site's Babel build turns a string spread
  // into a one-element array in the browser, which broke hydration once.
  let seed = 7;
  for (let index = 0; index < seedText.length; index++) seed = (seed * 31 + seedText.charCodeAt(index)) >>> 0;
  const random = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const order = Array.from({ length }, (_, index) => index);
  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const solved = order.every((step, position) => step === position);
  return solved && length > 1 ? [...order.slice(1), order[0] as number] : order;
}
