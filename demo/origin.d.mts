/** Types for the demo origin (demo/origin.mjs), a plain Node server used by npm start and tests. */
export interface RunningOrigin {
  url: string;
  port: number;
  close(): Promise<void>;
}
export function startOrigin(options?: { host?: string; port?: number }): Promise<RunningOrigin>;
