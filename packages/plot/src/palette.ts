/** Vega's default categorical palette ("tableau10"), used for series without an explicit colour. */
export const CATEGORY_COLORS: readonly string[] = [
  '#4c78a8',
  '#f58518',
  '#e45756',
  '#72b7b2',
  '#54a24b',
  '#eeca3b',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
];

/** Colour of the i-th series when none is given (the palette repeats after ten series). */
export function categoryColor(i: number): string {
  return CATEGORY_COLORS[i % CATEGORY_COLORS.length]!;
}
