// Document URIs at the adapter's boundary. Clients spell one file in several ways: VS Code
// percent-encodes `+()@!',;=&$` and the Windows drive colon (`file:///c%3A/…`), Node's
// pathToFileURL does not (and encodes `[]^|~`), a path may hold `.` or `..` segments, a drive
// letter may be upper or lower case. The server normalises every URI it receives once, here,
// so one file has one key in the index; the form the client used is kept for the messages the
// server sends back (see OpenDocuments.toClient).

import { posix } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Characters a path keeps literally but a URL path must not (beyond what the URL parser encodes). */
const pathEscapes: Record<string, string> = {
  '%': '%25', '\\': '%5C', '\n': '%0A', '\r': '%0D', '\t': '%09',
  '[': '%5B', ']': '%5D', '^': '%5E', '|': '%7C', '~': '%7E',
};

/** Decodes the valid %XX sequences of `text` (as UTF-8), leaving malformed ones as they are. */
function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/**
 * The canonical form of a URI: for `file:` URIs the decoded path with `.`/`..` resolved and a
 * lower-case drive letter, encoded as Node's pathToFileURL encodes a POSIX path (so files found
 * on disk and files opened in any editor get the same key). Other schemes are returned as sent.
 */
export function normalizeUri(uri: string): string {
  if (!/^file:/i.test(uri)) return uri;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return uri;
  }
  let path = posix.normalize(percentDecode(url.pathname));
  if (!path.startsWith('/')) path = `/${path}`;
  path = path.replace(/^\/([A-Za-z]):(?=\/|$)/, (_, drive: string) => `/${drive.toLowerCase()}:`);
  const canonical = new URL('file://');
  const host = url.host.toLowerCase();
  if (host !== '' && host !== 'localhost') canonical.host = host;
  canonical.pathname = path.replace(/[%\\\n\r\t[\]^|~]/g, (char) => pathEscapes[char]);
  return canonical.href;
}

/** The canonical URI of a file path on this machine. */
export function uriFromPath(path: string): string {
  return normalizeUri(pathToFileURL(path).href);
}

/** The file path of a `file:` URI on this machine; undefined for other schemes or malformed URIs. */
export function pathFromUri(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** True when canonical `uri` is `folderUri` itself or lies under it (both canonical, see normalizeUri). */
export function isUnderFolder(uri: string, folderUri: string): boolean {
  const folder = folderUri.endsWith('/') ? folderUri : `${folderUri}/`;
  return uri.startsWith(folder) || `${uri}/` === folder;
}
