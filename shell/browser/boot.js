// boot.js — starts the WebAssembly client from index.html. It is a file, not an inline script, because
// the server's Content-Security-Policy allows script only from this origin (server/http/security_headers.h).
'use strict';
window.kehuBoot = { startedAt: performance.now() };  // cold-start timing, read by the bench
var Module = {
  canvas: document.getElementById('canvas'),
  onRuntimeInitialized: function () { document.getElementById('status').hidden = true; }
};
// The client's files are kept by a service worker so the page reloads offline (sw.js says how).
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('sw.js').catch(function (e) { console.warn('no offline reload:', e); });
}
(function () {
  var script = document.createElement('script');
  script.src = 'crm.js';
  script.onerror = function () {
    document.getElementById('status').hidden = true;
    document.getElementById('not-built').hidden = false;
  };
  document.body.appendChild(script);
})();
