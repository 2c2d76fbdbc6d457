// banner.js: loaded synchronously at the top of <head> (SPEC §6). Guards tag insertion and
// cookie writes before any page tag runs, enhances the banner, exposes window.ConsentEdge.
import { installGuards } from './guard';
import { installHtmlGuards } from './html';
import { release } from './release';
import { S, snapshot } from './state';
import { installUi, open, request } from './ui';

if (S && !window.ConsentEdge) {
  installGuards();
  installHtmlGuards();
  installUi();
  window.ConsentEdge = { get: snapshot, open, request };
  // Tags the site itself marked as held (type="text/plain" + data-consent-category) run now
  // when already allowed.
  document.addEventListener('DOMContentLoaded', release);
}
