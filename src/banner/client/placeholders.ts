// The stream's placeholders on a page React hydrates (a Next.js page). React 19 fails hydration
// on an element it did not render (error #418) and then renders the whole document again on
// the client, which takes the banner with it. So on such a page, each placeholder is taken out as
// the parser inserts it (a MutationObserver runs before the next parser-inserted script, so before
// any hydration code), and put back right before its element once React has hydrated that element.
// Without JavaScript nothing hydrates, and the stream's placeholder stays where it is.
import { PLACEHOLDER_SELECTOR } from './release';

/** A page whose markup React will hydrate: Next.js loads its chunks from `/_next/`. */
const hydrates = () => 'next' in window || !!document.querySelector('script[src*="/_next/"]');

/** Whether React has taken over an element (it keeps its fiber on the node). */
const hydrated = (el: Element) => Object.keys(el).some((k) => k.startsWith('__reactFiber'));

const parked: Array<{ box: Element; before: Element }> = [];
let timer = 0;

function putBack(): void {
  for (let i = parked.length - 1; i >= 0; i--) {
    const { box, before } = parked[i] as { box: Element; before: Element };
    // Released meanwhile, or replaced by a client render: the placeholder has nothing to stand for.
    if (!before.isConnected || !before.hasAttribute('data-consent-src')) parked.splice(i, 1);
    else if (hydrated(before)) {
      before.before(box);
      parked.splice(i, 1);
    }
  }
  if (!parked.length) {
    clearInterval(timer);
    timer = 0;
  }
}

function park(box: Element): void {
  const before = box.nextElementSibling;
  if (!before) return;
  box.remove();
  parked.push({ box, before });
  if (!timer) timer = window.setInterval(putBack, 100);
}

export function installPlaceholders(): void {
  let react: boolean | undefined;
  const observer = new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes) {
        if (!(node instanceof Element) || !node.matches(PLACEHOLDER_SELECTOR)) continue;
        react ??= hydrates();
        if (react) park(node);
      }
  });
  observer.observe(document, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', () => observer.disconnect(), { once: true });
}
