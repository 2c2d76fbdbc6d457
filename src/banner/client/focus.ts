// Keyboard users and the banner: a skip link first in the page leads to it, nothing it covers
// takes focus unseen (WCAG 2.2 SC 2.4.11: the page keeps room for it at the bottom and a focused
// element under it is scrolled clear), and after a decision focus goes back where the visitor was.
import { S } from './state';

const BANNER = 'consent-edge';
/** The page's own element focused last, outside the banner and the worker's dialogs. */
let lastOutside: Element | null = null;
let observer: ResizeObserver | null = null;

const banner = () => {
  const el = document.getElementById(BANNER);
  return el && !el.classList.contains('ce-link-only') ? el : null;
};
const ours = (el: Element) => !!el.closest(`#${BANNER},ce-skip,dialog.ce-dialog,.ce-toast`);

/** Moves focus to an element, when it can take focus. */
export const focus = (el: Element | null | undefined): boolean => {
  if (!(el instanceof HTMLElement || el instanceof SVGElement) || !el.isConnected) return false;
  el.focus();
  return document.activeElement === el;
};

/**
 * Where focus goes once the banner is gone: the element focused before it, else the start of
 * the page's main content (made focusable for that moment only), never `<body>`.
 */
export function focusBack(preferred?: Element | null): void {
  if (focus(preferred) || focus(lastOutside)) return;
  const start = document.querySelector<HTMLElement>('main,[role=main],h1') ?? document.body.firstElementChild;
  if (!(start instanceof HTMLElement)) return;
  if (!start.hasAttribute('tabindex')) {
    start.setAttribute('tabindex', '-1');
    start.addEventListener('blur', () => start.removeAttribute('tabindex'), { once: true });
  }
  start.focus();
}

/** Keeps the page's bottom free for the banner: its height feeds `--ce-banner-h` (banner.css). */
function reserve(): void {
  const el = banner();
  const root = document.documentElement;
  if (!el) {
    observer?.disconnect();
    root.style.removeProperty('--ce-banner-h');
    document.querySelector('ce-skip')?.remove();
    return;
  }
  root.style.setProperty('--ce-banner-h', `${Math.ceil(el.getBoundingClientRect().height)}px`);
}

/** A focused element of the page that the banner covers is scrolled above it. */
function onFocusIn(e: FocusEvent): void {
  const t = e.target;
  if (!(t instanceof Element) || t === document.body) return;
  if (ours(t)) return;
  lastOutside = t;
  const el = banner();
  if (!el) return;
  const top = el.getBoundingClientRect().top;
  const box = t.getBoundingClientRect();
  if (box.bottom > top && box.top < innerHeight) window.scrollBy(0, Math.min(box.bottom - top + 8, box.top));
}

/** The skip link, first in the page while the banner is shown. */
function skipLink(el: HTMLElement): void {
  // A custom element: React's hydration never mistakes it for one of the page's own.
  const box = document.createElement('ce-skip');
  box.setAttribute('lang', S.locale);
  const a = document.createElement('a');
  a.className = 'ce-skip';
  a.href = `#${BANNER}`;
  a.textContent = S.texts.skip;
  // The banner takes focus from the link only (tabindex set here: without JavaScript there is no link).
  el.setAttribute('tabindex', '-1');
  a.addEventListener('click', (e) => {
    e.preventDefault();
    el.focus();
  });
  box.append(a);
  document.body.prepend(box);
}

/** Call once the banner is gone (after a decision): frees the page's bottom and drops the skip link. */
export const bannerGone = reserve;

export function installFocus(): void {
  document.addEventListener('focusin', onFocusIn);
  document.addEventListener('DOMContentLoaded', () => {
    const el = banner();
    if (!el) return;
    skipLink(el);
    reserve();
    observer = new ResizeObserver(reserve);
    observer.observe(el);
  });
}
