// Local stand-in for Razorpay's checkout.js (which cannot load offline).
(() => {
  window.__razorpayRan = true;
  class Razorpay {
    constructor(options) {
      this.options = options || {};
    }
    open() {
      window.__razorpayOpened = true;
      const o = this.options;
      const amount = typeof o.amount === 'number' ? (o.amount / 100).toFixed(0) : '?';
      const el = document.getElementById('pay-status');
      if (el) el.textContent = `Razorpay checkout opened: ₹${amount} (${o.description || 'payment'})`;
      return this;
    }
    on() {
      return this;
    }
  }
  window.Razorpay = Razorpay;
})();
