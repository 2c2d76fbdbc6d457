// Local stand-in for Google Tag Manager (gtm.js): like GTM, it inserts further tags
// (here the GA4 stand-in) from client code, after the HTML has been parsed.
(() => {
  window.__gtmRan = true;
  window.dataLayer = window.dataLayer || [];
  window.dataLayer.push({ 'gtm.start': Date.now(), event: 'gtm.js' });
  if (!window.__gaRan) {
    const s = document.createElement('script');
    s.src = '/static/gtag-standin.js';
    s.async = true;
    s.dataset.consentCategory = 'analytics';
    (document.head || document.documentElement).appendChild(s);
  }
})();
