/**
 * Once for the run: builds banner.js and banner.css into src/banner/assets.gen.ts (generated,
 * never committed: the worker imports it), then starts the demo origin (a real HTTP server on
 * 127.0.0.1) and hands its URL to the tests with `provide`/`inject`.
 */
import type { TestProject } from 'vitest/node';
import { startOrigin } from '../../demo/origin.mjs';
import { writeBannerAssets } from '../../scripts/build-banner';

declare module 'vitest' {
  export interface ProvidedContext {
    originUrl: string;
  }
}

export default async function setup(project: TestProject) {
  await writeBannerAssets();
  const origin = await startOrigin({ host: '127.0.0.1', port: 0 });
  project.provide('originUrl', origin.url);
  return async () => origin.close();
}
