// The webview pages' HTML (the traffic-split preview, and the mirror monitor of
// client/src/mirrorMonitor/): a shell that loads the bundled script and stylesheet under a strict
// Content-Security-Policy. It holds no data (the model arrives by postMessage), so the only
// values written into it are the webview's resource origin, two resource URIs and the nonce.
// No `vscode` import: the webview page test loads the same HTML in Chromium.

import { randomBytes } from 'node:crypto';

export interface PageResources {
  /** `webview.cspSource`: the origin the webview serves extension resources from. */
  cspSource: string;
  /** `asWebviewUri` of the page's script and stylesheet in dist/media/ (e.g. trafficSplitView.js and …css). */
  scriptUri: string;
  styleUri: string;
  /** A fresh nonce per render (`newNonce()`). */
  nonce: string;
}

/** 16 random bytes from the crypto source, base64 (a valid CSP nonce). */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Escapes a value for a double-quoted attribute (the values are ours, but never trusted blindly). */
function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function trafficSplitPageHtml(resources: PageResources): string {
  return webviewPageHtml(resources, 'Traffic split');
}

/** The page shell with `title` (a constant of ours, escaped all the same). */
export function webviewPageHtml(resources: PageResources, title: string): string {
  const nonce = attribute(resources.nonce);
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${attribute(resources.cspSource)}`,
    `img-src ${attribute(resources.cspSource)} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${attribute(resources.styleUri)}">
  <title>${attribute(title)}</title>
</head>
<body>
  <div id="app"></div>
  <script nonce="${nonce}" src="${attribute(resources.scriptUri)}"></script>
</body>
</html>
`;
}
