/**
 * Where a key moves the chart's cursor (docs/ui.md#trends): the arrow keys
 * to the previous or next bucket with a reading (a gap has nothing to read),
 * Home and End to the first and the latest. Time runs left to right in both
 * languages, so ArrowRight is always later. Undefined: the key is not the
 * chart's, or there is nowhere to go.
 */
export function cursorIndexAfter(
  key: string,
  current: number | null,
  withData: readonly boolean[],
): number | undefined {
  const indices = withData.flatMap((has, index) => (has ? [index] : []));
  const first = indices[0];
  const latest = indices.at(-1);
  switch (key) {
    case 'Home':
      return first;
    case 'End':
      return latest;
    case 'ArrowLeft':
      return current === null ? latest : ([...indices].reverse().find((index) => index < current) ?? first);
    case 'ArrowRight':
      return current === null ? latest : (indices.find((index) => index > current) ?? latest);
    default:
      return undefined;
  }
}
