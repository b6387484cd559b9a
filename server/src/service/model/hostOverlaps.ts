// Which earlier host of a list overlaps a host (`hostsOverlap`: equal, or a wildcard covering
// the other), for lists of any length: a Map for equal names and, once a wildcard is listed, a
// trie of the hosts written backwards (`*.example.com` covers by suffix), so each host costs
// its length, not the number of hosts before it (comparing each host with every earlier one
// took 20 s on 60,000 hosts).

import { isWildcard } from './hostNames';

export class HostOverlaps {
  private readonly exact = new Map<string, number>();
  private readonly hosts: string[] = [];
  private trie: BackwardsTrie | undefined;

  /**
   * The index of the first host added before this one that overlaps `host` (the same name, a
   * wildcard that covers it, or a host it covers as a wildcard), or -1; then adds `host` with
   * the next index.
   */
  firstOverlapThenAdd(host: string): number {
    const index = this.hosts.length;
    let first = this.exact.get(host) ?? -1;
    if (!this.trie && isWildcard(host)) {
      // The first wildcard: the trie gets every host listed so far.
      this.trie = new BackwardsTrie();
      this.hosts.forEach((earlier, at) => this.trie!.add(earlier, at));
    }
    if (this.trie) {
      const covering = this.trie.firstCovering(host);
      if (covering !== -1 && (first === -1 || covering < first)) first = covering;
      if (isWildcard(host)) {
        const covered = this.trie.firstCoveredBy(host);
        if (covered !== -1 && (first === -1 || covered < first)) first = covered;
      }
      this.trie.add(host, index);
    }
    if (!this.exact.has(host)) this.exact.set(host, index);
    this.hosts.push(host);
    return first;
  }
}

/**
 * The hosts' names (without a wildcard's `*`) read from the end, one node per suffix. Each node
 * keeps the first wildcard whose suffix it is, and the first host that ends with the suffix
 * as `wildcardCovers` counts it (a name must be longer than the suffix, a wildcard may equal it).
 */
class BackwardsTrie {
  /** Edges: node × 65536 + UTF-16 code unit → child node. */
  private readonly edges = new Map<number, number>();
  /** Per node: the first wildcard ending with exactly this suffix, or -1. */
  private readonly wildcardAt: number[] = [-1];
  /** Per node: the first host a wildcard with this suffix would cover, or -1. */
  private readonly coveredAt: number[] = [-1];

  add(host: string, index: number): void {
    const wildcard = isWildcard(host);
    const body = wildcard ? host.slice(1) : host;
    let node = 0;
    for (let at = body.length - 1; ; at--) {
      // The suffix read so far is body[at + 1…]; a name covered by it must be longer.
      if (this.coveredAt[node] === -1 && (wildcard || at >= 0)) this.coveredAt[node] = index;
      if (at < 0) break;
      const key = node * 65536 + body.charCodeAt(at);
      let next = this.edges.get(key);
      if (next === undefined) {
        next = this.wildcardAt.length;
        this.edges.set(key, next);
        this.wildcardAt.push(-1);
        this.coveredAt.push(-1);
      }
      node = next;
    }
    if (wildcard && this.wildcardAt[node] === -1) this.wildcardAt[node] = index;
  }

  /** The first wildcard added that covers `host`, or -1. */
  firstCovering(host: string): number {
    const wildcard = isWildcard(host);
    const body = wildcard ? host.slice(1) : host;
    let first = -1;
    let node: number | undefined = 0;
    for (let at = body.length - 1; node !== undefined; at--) {
      // A name is covered by a strictly shorter suffix; a wildcard by any suffix of its own.
      const candidate = this.wildcardAt[node]!;
      if (candidate !== -1 && (wildcard || at >= 0) && (first === -1 || candidate < first)) first = candidate;
      if (at < 0) break;
      node = this.edges.get(node * 65536 + body.charCodeAt(at));
    }
    return first;
  }

  /** The first host added that the wildcard `host` covers, or -1. */
  firstCoveredBy(host: string): number {
    const body = host.slice(1);
    let node: number | undefined = 0;
    for (let at = body.length - 1; at >= 0 && node !== undefined; at--) node = this.edges.get(node * 65536 + body.charCodeAt(at));
    return node === undefined ? -1 : this.coveredAt[node]!;
  }
}

/** A test whether a name equals one of `hosts` or a wildcard among them covers it, each test costing the name's length. */
export function coveredByAny(hosts: readonly string[]): (name: string) => boolean {
  const exact = new Set(hosts);
  const wildcards = hosts.filter(isWildcard);
  if (wildcards.length === 0) return (name) => exact.has(name);
  const trie = new BackwardsTrie();
  wildcards.forEach((host, index) => trie.add(host, index));
  return (name) => exact.has(name) || trie.firstCovering(name) !== -1;
}
