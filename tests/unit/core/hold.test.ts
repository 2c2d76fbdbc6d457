/**
 * The hold contract (src/core/hold.ts), which the stream and banner.js share: how a held
 * element looks, that it is recognised as held, and the category it waits for.
 */
import { describe, expect, it } from 'vitest';
import { heldCategory, hold, isHeld } from '../../../src/core/hold';

function element(attrs: Record<string, string>) {
  const map = new Map(Object.entries(attrs));
  return {
    getAttribute: (name: string) => map.get(name) ?? null,
    setAttribute: (name: string, value: string) => map.set(name, value),
    removeAttribute: (name: string) => map.delete(name),
    attrs: () => Object.fromEntries(map),
  };
}

describe('the hold contract', () => {
  it('holds a script: its type kept aside, text/plain, its src kept and copied to data-consent-src', () => {
    const el = element({ src: 'https://www.googletagmanager.com/gtag/js', type: 'module', async: '' });
    hold(el, 'script', 'analytics');
    expect(el.attrs()).toEqual({
      async: '',
      'data-consent-category': 'analytics',
      'data-consent-src': 'https://www.googletagmanager.com/gtag/js',
      'data-consent-type': 'module',
      src: 'https://www.googletagmanager.com/gtag/js',
      type: 'text/plain',
    });
    expect(isHeld(el, 'script')).toBe(true);
  });

  it('holds a resource hint: href and rel put aside, so it neither fetches nor warns', () => {
    const el = element({ rel: 'preload', as: 'script', href: 'https://www.googletagmanager.com/gtm.js' });
    hold(el, 'link', 'analytics');
    expect(el.attrs()).toEqual({
      as: 'script',
      'data-consent-category': 'analytics',
      'data-consent-src': 'https://www.googletagmanager.com/gtm.js',
      'data-consent-rel': 'preload',
    });
    expect(isHeld(el, 'link')).toBe(true);
  });

  it('holds an iframe by its src alone, and an inline script by its type', () => {
    const frame = element({ src: 'https://www.youtube.com/embed/x', title: 'video' });
    hold(frame, 'iframe', 'functional');
    expect(frame.attrs()).toEqual({
      title: 'video',
      'data-consent-category': 'functional',
      'data-consent-src': 'https://www.youtube.com/embed/x',
    });
    const inline = element({});
    hold(inline, 'script', 'analytics');
    expect(inline.attrs()).toEqual({ 'data-consent-category': 'analytics', 'data-consent-type': '', type: 'text/plain' });
    expect(isHeld(inline, 'script')).toBe(true);
  });

  it('recognises a script the page marked as held itself, and nothing else', () => {
    expect(isHeld(element({ type: 'text/plain', 'data-consent-category': 'analytics' }), 'script')).toBe(true);
    expect(isHeld(element({ type: 'text/plain', 'data-consent-category': 'analytics' }), 'iframe')).toBe(false);
    expect(isHeld(element({ type: 'text/plain' }), 'script')).toBe(false);
    expect(isHeld(element({ src: '/x.js' }), 'script')).toBe(false);
  });

  it('waits for the marked category, else the kept source’s; an unknown marking stays held', () => {
    const bySource = (src: string) => (src.includes('googletagmanager') ? 'analytics' : undefined);
    expect(
      heldCategory(element({ 'data-consent-category': 'functional', 'data-consent-src': 'https://www.googletagmanager.com/x' }), bySource),
    ).toBe('functional');
    expect(heldCategory(element({ 'data-consent-src': 'https://www.googletagmanager.com/x' }), bySource)).toBe('analytics');
    expect(heldCategory(element({ 'data-consent-category': 'marketing' }), bySource)).toBe('marketing');
  });
});
