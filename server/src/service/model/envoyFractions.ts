// How Istio's pilot turns the percentages of a VirtualService into Envoy's FractionalPercent
// (pilot/pkg/networking/core/route/route.go): a `Percent` (mirrorPercentage, mirrors[].percentage,
// fault percentages) becomes a numerator of a MILLION, truncated towards zero after × 10,000
// (so 0.57 % is 5699 of a million, 0.5699 %); the deprecated integer `mirrorPercent` becomes a
// numerator of a HUNDRED; no percentage at all mirrors 100 of a HUNDRED; an explicit 0 (or a
// negative value) means no mirror policy at all.

export type FractionDenominator = 'HUNDRED' | 'TEN_THOUSAND' | 'MILLION';

/** Envoy's `type.v3.FractionalPercent`, with the field names of Envoy's JSON. */
export interface FractionalPercent {
  numerator: number;
  denominator: FractionDenominator;
}

const denominators: Record<FractionDenominator, number> = { HUNDRED: 100, TEN_THOUSAND: 10_000, MILLION: 1_000_000 };

/** Go's `uint32(float64)` for the values validation lets through (0–100 × 10,000): truncation. */
function truncated(value: number): number {
  return Math.max(0, Math.trunc(value));
}

/** `translatePercentToFractionalPercent`: value × 10,000 of a MILLION, truncated. */
export function fractionOfPercent(value: number): FractionalPercent {
  return { numerator: truncated(value * 10_000), denominator: 'MILLION' };
}

/** `translateIntegerToFractionalPercent`: the integer of a HUNDRED. */
export function fractionOfInteger(value: number): FractionalPercent {
  return { numerator: truncated(value), denominator: 'HUNDRED' };
}

/** The share the fraction stands for, in percent (0–100). */
export function fractionToPercent(fraction: FractionalPercent): number {
  return (fraction.numerator / denominators[fraction.denominator]) * 100;
}

/** How a mirror's percentage was written. */
export type MirrorPercentSource =
  | { kind: 'percentage'; value: number }
  | { kind: 'integer'; value: number }
  | { kind: 'none' };

/**
 * `MirrorPercent` / `MirrorPercentByPolicy`: the mirror's runtime fraction, or undefined when
 * the percentage is explicitly 0 (Istio then sends no mirror policy at all).
 */
export function mirrorFraction(source: MirrorPercentSource): FractionalPercent | undefined {
  switch (source.kind) {
    case 'percentage':
      return source.value > 0 ? fractionOfPercent(source.value) : undefined;
    case 'integer':
      return source.value > 0 ? fractionOfInteger(source.value) : undefined;
    default:
      return fractionOfInteger(100);
  }
}

/**
 * How the percentage of a rule's single `mirror` is written: `mirrorPercentage` wins (a map
 * without `value` is 0), then the deprecated integer `mirrorPercent`, else none.
 */
export function ruleMirrorPercentSource(rule: Record<string, unknown>): MirrorPercentSource {
  if ('mirrorPercentage' in rule && rule.mirrorPercentage !== null && rule.mirrorPercentage !== undefined) return { kind: 'percentage', value: percentValue(rule.mirrorPercentage) };
  const legacy = rule.mirrorPercent ?? rule.mirror_percent;
  if (legacy !== undefined && legacy !== null) return { kind: 'integer', value: numeric(legacy) };
  return { kind: 'none' };
}

/** How the `percentage` of a `mirrors` entry is written. */
export function policyMirrorPercentSource(policy: Record<string, unknown>): MirrorPercentSource {
  if (policy.percentage !== null && policy.percentage !== undefined) return { kind: 'percentage', value: percentValue(policy.percentage) };
  return { kind: 'none' };
}

/** `Percent.value` of a percentage object (a missing value is 0). */
export function percentValue(percent: unknown): number {
  if (!percent || typeof percent !== 'object') return 0;
  return numeric((percent as { value?: unknown }).value);
}

function numeric(value: unknown): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(number) ? number : 0;
}

/** `0.5699 %`, `12.5 %`, `100 %`: the exact share, without binary noise. */
export function exactPercentText(percent: number): string {
  return `${Number(percent.toPrecision(12))} %`;
}
