// Local stand-in for Google's gtag.js (which cannot load offline): writes the GA4
// cookies the way gtag does and flags that the analytics script executed.
(() => {
  window.__gaRan = true;
  const now = Math.floor(Date.now() / 1000);
  const rand = Math.floor(Math.random() * 2147483647);
  const opts = '; path=/; max-age=63072000; SameSite=Lax';
  // biome-ignore-start lint/suspicious/noDocumentCookie: gtag writes its cookies from script; that is what the worker must gate.
  function has(name) {
    return document.cookie.split(/;\s*/).some((c) => c.indexOf(`${name}=`) === 0);
  }
  function write(name, value) {
    // gtag's cookie_domain "auto": try the host as domain, fall back to host-only.
    document.cookie = `${name}=${value}; domain=${location.hostname}${opts}`;
    if (!has(name)) document.cookie = `${name}=${value}${opts}`;
  }
  // biome-ignore-end lint/suspicious/noDocumentCookie: see above
  if (!has('_ga')) write('_ga', `GA1.1.${rand}.${now}`);
  write('_ga_DEMO123', `GS1.1.${now}.1.0.${now}.0.0.0`);
  window.dataLayer = window.dataLayer || [];
  window.dataLayer.push({ event: 'gtag.standin.loaded' });
})();
