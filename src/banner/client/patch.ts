// The one way banner.js takes over a property's setter (src, href, innerHTML, outerHTML): the
// getter and the rest of the descriptor stay the browser's.

/**
 * Replaces the setter of `name` on `proto`; `set` gets the value and the native setter for `this`.
 * @example onSet(HTMLImageElement.prototype, 'src', function (v, native) { native(check(v)) })
 */
export function onSet<T>(proto: object, name: string, set: (this: T, value: string, native: (value: unknown) => void) => void): void {
  const d = Object.getOwnPropertyDescriptor(proto, name);
  Object.defineProperty(proto, name, {
    ...d,
    set(this: T, v: string) {
      set.call(this, v, (x) => d?.set?.call(this, x));
    },
  });
}
