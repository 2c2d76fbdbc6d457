// banner.js: loaded synchronously at the top of <head> (docs/enforcement.md). Guards tag insertion and
// cookie writes before any page tag runs, enhances the banner, exposes window.ConsentEdge
// (typed for site developers by types/consent-edge.d.ts, which this assignment is checked against).
import { consentMode } from './consent-mode';
import { installFocus } from './focus';
import { installGuards } from './guard';
import { installHtmlGuards } from './html';
import { installPlaceholders } from './placeholders';
import { release } from './release';
import { installRequestGuards } from './requests';
import { readState, snapshot, start } from './state';
import { installUi, open, request } from './ui';

const state = readState();
if (state && !window.ConsentEdge) {
  start(state);
  consentMode('default');
  installGuards();
  installRequestGuards();
  installHtmlGuards();
  installUi();
  installFocus();
  installPlaceholders();
  window.ConsentEdge = { get: snapshot, open, request };
  // Tags the site itself marked as held (type="text/plain" + data-consent-category) run now
  // when already allowed.
  document.addEventListener('DOMContentLoaded', release);
}
