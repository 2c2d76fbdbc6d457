// Types for react-origin.mjs (plain JS so the test needs no React type packages).
export function startReactOrigin(): Promise<{ url: string; close(): Promise<void> }>;
