// What changed between Istio releases in the parts of route generation istio-mirror shows.
// - `mirrors` (several mirror policies per rule) is translated by pilot from 1.20; older
//   releases ignore the field.
// - DISABLE_SHADOW_HOST_SUFFIX (pilot/pkg/features/pilot.go) exists from 1.28 with default
//   true, so mirrored copies keep the original Host; before 1.28 Envoy appends `-shadow` to
//   the Host of every copy (`reviews:9080` → `reviews-shadow:9080`). The 1.25–1.27
//   compatibility profiles set it back to false.

export interface IstioRelease {
  major: number;
  minor: number;
}

/** The newest Istio release, the default of `--istio-version` and of the `istioVersion` setting. */
export const newestIstioRelease: IstioRelease = { major: 1, minor: 30 };

/** `1.27`, `1.27.3`, `v1.28` → the release; undefined when the text is not a version. */
export function parseIstioRelease(text: string): IstioRelease | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:-[\w.]+)?$/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

export function releaseText(release: IstioRelease): string {
  return `${release.major}.${release.minor}`;
}

function atLeast(release: IstioRelease, major: number, minor: number): boolean {
  return release.major > major || (release.major === major && release.minor >= minor);
}

/** `disableShadowHostSuffixAppend` of every mirror policy pilot sends (the env var's default). */
export function shadowHostSuffixDisabled(release: IstioRelease): boolean {
  return atLeast(release, 1, 28);
}

/** Whether pilot translates the `mirrors` list at all. */
export function translatesMirrorsList(release: IstioRelease): boolean {
  return atLeast(release, 1, 20);
}

/**
 * The Host header of a mirrored copy: the request's Host, with `-shadow` appended before any
 * port unless the suffix is disabled (Envoy's shadow writer).
 */
export function mirroredHostHeader(host: string, suffixDisabled: boolean): string {
  if (suffixDisabled) return host;
  const port = /:\d+$/.exec(host);
  if (!port || (host.startsWith('[') && !host.includes(']:'))) return `${host}-shadow`;
  return `${host.slice(0, port.index)}-shadow${host.slice(port.index)}`;
}

/** The release a setting names (`1.27`, `v1.28.2`); the newest when it names none. */
export function releaseOfSetting(text: string | undefined): IstioRelease {
  const release = text === undefined ? undefined : parseIstioRelease(text);
  return release && release.major === 1 ? release : newestIstioRelease;
}
