/**
 * Load generation for the benchmark: autocannon runs with exact per-request latencies (its
 * histogram keeps whole milliseconds, too coarse on loopback), and a time-to-first-byte probe.
 */
import { request } from 'node:http';
import autocannon from 'autocannon';

export interface LoadResult {
  /** Successful (2xx) responses per second. */
  rps: number;
  /** Latency percentiles in milliseconds, from every 2xx response. */
  p50: number;
  p99: number;
  requests: number;
  /** Non-2xx responses, connection errors and timeouts: any of these invalidates the run. */
  failures: number;
  bytesPerSecond: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

/**
 * Drives `url` with `connections` keep-alive connections for `seconds`.
 * @example
 * const r = await load('http://127.0.0.1:8787/html?size=2048', { connections: 10, seconds: 3 });
 */
export async function load(
  url: string,
  options: { connections: number; seconds: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let bytes = 0;
  let failures = 0;
  const started = process.hrtime.bigint();
  const instance = autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers ?? {},
    timeout: 30,
  });
  instance.on('response', (_client: unknown, status: number, resBytes: number, ms: number) => {
    if (status < 200 || status > 299) {
      failures++;
      return;
    }
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = ms;
    bytes += resBytes;
  });
  const result = await instance;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = latencies.slice(0, count).sort();
  return {
    rps: count / elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    requests: count,
    failures: failures + result.errors + result.timeouts,
    bytesPerSecond: bytes / elapsed,
  };
}

export interface BodyProbe {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Milliseconds from sending the request to the response head and to the first body byte. */
  headersMs: number;
  firstByteMs: number;
  totalMs: number;
  body: Buffer;
}

/** One GET on a fresh connection, timing the head, the first body byte and the end. */
export function probe(url: string, headers: Record<string, string> = {}): Promise<BodyProbe> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - start) / 1e6;
    const req = request(url, { headers: { ...headers, connection: 'close' }, agent: false }, (res) => {
      const headersMs = ms();
      let firstByteMs = Number.NaN;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        if (chunks.length === 0) firstByteMs = ms();
        chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, headersMs, firstByteMs, totalMs: ms(), body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
