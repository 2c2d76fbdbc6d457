// Browser entry: hydrates the whole document and records every hydration error.
import { createElement } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { App } from './react-app.mjs';

window.__hydrationErrors = [];
const record = (kind) => (error) => window.__hydrationErrors.push(`${kind}: ${error?.message ?? error}`);
hydrateRoot(document, createElement(App), {
  onRecoverableError: record('recoverable'),
  onUncaughtError: record('uncaught'),
  onCaughtError: record('caught'),
});
window.__hydrated = true;
