// How Istio turns route weights into traffic shares: weights are relative (since 1.15 they
// need not sum to 100), a lone destination gets everything, unset weights count as 0.

/** Percent (0–100) of a rule's requests each destination receives; all zeros when the split is invalid. */
export function normalisedShares(weights: readonly (number | undefined)[]): number[] {
  if (weights.length === 0) return [];
  if (weights.length === 1) return [100];
  const clean = weights.map((weight) => (weight !== undefined && weight > 0 ? weight : 0));
  const total = clean.reduce((sum, weight) => sum + weight, 0);
  if (total <= 0) return clean.map(() => 0);
  return clean.map((weight) => (weight / total) * 100);
}

/** `77.8 %`, `100 %`, `0.5 %`: one decimal unless whole. */
export function formatPercent(percent: number): string {
  const rounded = Math.round(percent * 10) / 10;
  if (percent > 0 && rounded === 0) return `${Number(percent.toPrecision(2))} %`;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} %`;
}
