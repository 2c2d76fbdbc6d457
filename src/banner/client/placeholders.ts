// The stream's placeholders on a page React hydrates (a Next.js page). React 19 fails hydration
// on an element it did not render (error #418) and then renders the whole document again on
// the client, which takes the banner with it. So on such a page, each placeholder is taken out as
// the parser inserts it (a MutationObserver runs before the next parser-inserted script, so before
// any hydration code), and put back right before its element once React has hydrated that element.
// Without JavaScript nothing hydrates, and the stream's placeholder stays where it is.
import { isHeld } from '../../core/hold';
import { kindOf } from './guard';
import { PLACEHOLDER_SELECTOR } from './release';

/** A page whose markup React will hydrate: Next.js loads its chunks from `/_next/`. */
const hydrates = () =>
  '__next_f' in window || !!document.getElementById('__NEXT_DATA__') || !!document.querySelector('script[src*="/_next/"]');

/** A page that has not hydrated this long after `load` will not: its placeholders come back anyway. */
const GIVE_UP_MS = 5000;

/** Whether React has taken over an element (it keeps its fiber on the node). */
const hydrated = (el: Element) => Object.keys(el).some((k) => k.startsWith('__reactFiber'));

/**
 * A placeholder taken out, and where it stood: the element it stands for, or, when the parser
 * had not inserted that element yet, the node it came after (the element is parsed in next).
 */
interface Parked {
  box: Element;
  before: Element | null;
  parent: Node;
  after: Node | null;
}
const parked: Parked[] = [];
let timer = 0;

/** The element a parked placeholder stands for, once the parser has inserted it. */
function elementOf(p: Parked): Element | null {
  if (p.before) return p.before;
  let node = p.after ? p.after.nextSibling : p.parent.firstChild;
  while (node && !(node instanceof Element)) node = node.nextSibling;
  p.before = node instanceof Element ? node : null;
  return p.before;
}

function putBack(force = false): void {
  for (let i = parked.length - 1; i >= 0; i--) {
    const p = parked[i] as Parked;
    const before = elementOf(p);
    if (!before) {
      if (force || document.readyState !== 'loading') parked.splice(i, 1); // never came
      continue;
    }
    const kind = kindOf(before);
    // Released meanwhile, or replaced by a client render: the placeholder has nothing to stand for.
    if (!before.isConnected || !kind || !isHeld(before, kind)) parked.splice(i, 1);
    else if (force || hydrated(before)) {
      before.before(p.box);
      parked.splice(i, 1);
    }
  }
  if (!parked.length) {
    clearInterval(timer);
    timer = 0;
  }
}

function park(box: Element): void {
  const parent = box.parentNode;
  if (!parent) return;
  parked.push({ box, before: box.nextElementSibling, parent, after: box.previousSibling });
  box.remove();
  if (!timer) timer = window.setInterval(() => putBack(), 100);
}

/** After `load`, give React a while; a page that never hydrates gets its placeholders back. */
function giveUpLater(): void {
  const later = () => setTimeout(() => putBack(true), GIVE_UP_MS);
  if (document.readyState === 'complete') later();
  else window.addEventListener('load', later, { once: true });
}

export function installPlaceholders(): void {
  let react: boolean | undefined;
  const observer = new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes) {
        if (!(node instanceof Element) || !node.matches(PLACEHOLDER_SELECTOR)) continue;
        if (react === undefined) {
          react = hydrates();
          if (react) giveUpLater();
        }
        if (react) park(node);
      }
  });
  observer.observe(document, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', () => observer.disconnect(), { once: true });
}
