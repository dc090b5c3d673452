// The offline shell: prerendered at build time, precached by the service worker and served
// for /company/pay and /company/clients when the network fails. Served at those URLs, the
// client router renders the page of the URL; opened directly, it goes to the payment.
export const prerender = true;
