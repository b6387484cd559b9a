// Entry point of `istio-mirror-language-server`: creates the LSP connection for the transport
// given on the command line (--stdio, --node-ipc or --socket=N) and starts the server.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

if (process.argv.includes('--version')) {
  process.stdout.write(`istio-mirror-language-server ${process.env.ISTIO_MIRROR_VERSION ?? '0.1.0'}\n`);
  process.exit(0);
}

if (!process.argv.some((arg) => arg === '--stdio' || arg === '--node-ipc' || arg.startsWith('--socket') || arg.startsWith('--pipe'))) {
  process.stderr.write('usage: istio-mirror-language-server --stdio | --node-ipc | --socket=<port>\n');
  process.exit(2);
}

const connection = createConnection(ProposedFeatures.all);
startServer(connection);
connection.listen();
