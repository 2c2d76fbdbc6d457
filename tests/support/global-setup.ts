/**
 * Starts the demo origin (a real HTTP server on 127.0.0.1) once for the run and hands its URL
 * to the tests with `provide`/`inject`.
 */
import type { TestProject } from 'vitest/node';
import { startOrigin } from '../../demo/origin.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    originUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const origin = await startOrigin({ host: '127.0.0.1', port: 0 });
  project.provide('originUrl', origin.url);
  return async () => origin.close();
}
