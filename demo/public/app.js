// The Service's own (ungated, first-party) page script: sidebar toggle, report
// filters (a functional cookie written by script) and the Razorpay Pay button.
(() => {
  function readCookie(name) {
    const m = document.cookie.match(new RegExp(`(?:^|;\\s*)${name.replace(/[.$?*|{}()[\]\\/+^]/g, '\\$&')}=([^;]*)`));
    return m ? m[1] : null;
  }

  const toggle = document.getElementById('toggle-sidebar');
  if (toggle) {
    toggle.addEventListener('click', () => {
      const collapsed = !document.body.classList.contains('sidebar-collapsed');
      document.body.classList.toggle('sidebar-collapsed', collapsed);
      fetch(`/api/sidebar?collapsed=${collapsed ? '1' : '0'}`, { method: 'POST', credentials: 'same-origin' }).catch(() => {});
    });
  }

  const filters = document.getElementById('report-filters');
  if (filters) {
    // The form submits normally (GET ?period=…&status=…); remembering the choice
    // for the next visit is the functional cookie's job.
    filters.addEventListener('submit', () => {
      const data = {};
      new FormData(filters).forEach((v, k) => {
        data[k] = String(v);
      });
      // biome-ignore lint/suspicious/noDocumentCookie: the Service writes this functional cookie from script (docs/configuration.md).
      document.cookie = `report-filters=${encodeURIComponent(JSON.stringify(data))}; path=/; SameSite=Lax`;
      const out = document.getElementById('filters-status');
      if (out) out.textContent = readCookie('report-filters') ? 'Filters saved' : 'Filters applied (not remembered)';
    });
  }

  const pay = document.getElementById('pay-button');
  if (pay) {
    const status = document.getElementById('pay-status');
    const say = (t) => {
      if (status) status.textContent = t;
    };
    const waitForRazorpay = (ms) =>
      new Promise((resolve) => {
        const start = Date.now();
        (function poll() {
          if (typeof window.Razorpay === 'function' || Date.now() - start >= ms) return resolve(window.Razorpay);
          setTimeout(poll, 50);
        })();
      });
    const open = () => {
      new window.Razorpay({
        key: 'rzp_test_demo',
        amount: 49900,
        currency: 'INR',
        name: 'TrackNCloak',
        description: 'Pro plan',
      }).open();
    };
    pay.addEventListener('click', () => {
      if (typeof window.Razorpay === 'function') return open();
      say('Payments need third-party cookies (Razorpay)…');
      let ask = Promise.resolve();
      try {
        if (window.ConsentEdge && typeof window.ConsentEdge.request === 'function') {
          ask = Promise.resolve(window.ConsentEdge.request('third-party'));
        }
      } catch (_e) {
        /* consent API unavailable */
      }
      ask
        .catch(() => {})
        .then(() => waitForRazorpay(5000))
        .then((R) => {
          if (typeof R === 'function') open();
          else say('Payment unavailable: Razorpay is blocked until third-party cookies are accepted.');
        });
    });
  }
})();
