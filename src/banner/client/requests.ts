// Requests page code makes to a refused category's hosts are not sent: fetch, XMLHttpRequest,
// navigator.sendBeacon, images (new Image(), <img> src), EventSource and WebSocket fail the way
// a blocked network request fails, and nothing is queued or replayed after consent. Same-origin
// requests are never touched. Patched before any page script runs (banner.js is the first script
// of <head>), so a reference page code keeps to these functions is already the guarded one.
import { onSet } from './patch';
import { classifier, refused } from './state';

/** Whether a request to `url` from this page must not leave. */
const blocked = (url: unknown): boolean => {
  const href = url instanceof Request ? url.url : String(url);
  return refused(classifier.request(href, location));
};

/**
 * A URL every request type fails on at once, as on a blocked network request, without any
 * network traffic: a blob URL that no longer exists.
 */
const DEAD = URL.createObjectURL(new Blob());
URL.revokeObjectURL(DEAD);
/** WebSockets take no blob URL: port 0 is refused by the browser before any connection. */
const DEAD_SOCKET = 'ws://0.0.0.0:0/';

/** The `src` an image gets: the dead URL when it would reach a refused host (guard.ts's setAttribute asks too). */
export const imageSrc = (value: unknown): unknown => (blocked(value) ? DEAD : value);

export function installRequestGuards(): void {
  const w = window;
  const fetch = w.fetch;
  w.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
    // A blocked fetch rejects with a TypeError, as a network error does.
    if (blocked(input)) return Promise.reject(new TypeError('Failed to fetch'));
    return fetch.call(this ?? w, input, init);
  };

  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    // Opened on a dead URL: send() then fires `error` (status 0) as a blocked request does.
    return Reflect.apply(open, this, [method, blocked(url) ? DEAD : url, ...rest]);
  } as typeof open;

  const beacon = navigator.sendBeacon;
  if (beacon) {
    navigator.sendBeacon = function (this: Navigator, url: string | URL, data?: BodyInit | null) {
      return blocked(url) ? false : beacon.call(this ?? navigator, url, data);
    };
  }

  // Images load as soon as their src is set, connected or not (tracking pixels).
  onSet(HTMLImageElement.prototype, 'src', (v, native) => native(imageSrc(v)));

  const Source = w.EventSource;
  if (Source) {
    w.EventSource = class extends Source {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(blocked(url) ? DEAD : url, init);
      }
    };
  }
  const Socket = w.WebSocket;
  if (Socket) {
    const Guarded = class extends Socket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(blocked(url) ? DEAD_SOCKET : url, protocols);
      }
    };
    w.WebSocket = Guarded;
  }
}
