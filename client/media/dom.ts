// Small DOM helpers of the traffic-split page: elements built with DOM calls, every string set as
// text (never as markup), and the number formats the sections share. No state.

const svgNs = 'http://www.w3.org/2000/svg';
export const maxPerRequests = 1_000_000_000;

export type Child = Node | string | false | undefined;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  for (const child of children) {
    if (child === false || child === undefined) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** A small key: a filled square for a destination, a dashed one for a mirror target. */
export function swatch(kind: 'destination' | 'mirror'): SVGSVGElement {
  const icon = svg('svg', { class: `swatch swatch-${kind}`, width: '12', height: '12', viewBox: '0 0 12 12', 'aria-hidden': 'true', focusable: 'false' });
  icon.append(svg('rect', kind === 'destination' ? { x: '1', y: '1', width: '10', height: '10', rx: '2' } : { x: '1.5', y: '1.5', width: '9', height: '9', rx: '2', 'stroke-dasharray': '2.5 1.5' }));
  return icon;
}

export function validCount(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= maxPerRequests;
}

/** "1,000", "778", "7.8": whole numbers from 100 up, one decimal below when it is not whole. */
export function count(value: number): string {
  const rounded = value >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return rounded.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

export function clampPercent(percent: number): number {
  return Math.min(100, Math.max(0, Number.isFinite(percent) ? percent : 0));
}

export function targetName(host: string, subset: string | undefined): string {
  return subset ? `${host}/${subset}` : host;
}

/** `host/subset` as text, allowed to wrap after the slash (narrow panels). */
export function targetLabel(className: string, host: string, subset: string | undefined): HTMLSpanElement {
  const label = el('span', className, el('span', 'target-host', host));
  if (subset !== undefined) label.append(document.createElement('wbr'), el('span', 'target-subset', `/${subset}`));
  return label;
}
