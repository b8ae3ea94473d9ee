// library_kehu.js — the JS functions the C++ host calls (browser_platform.cpp). Each is a thin wrapper
// over the shell (kehu_shell.js), which owns the page state: fetches, IndexedDB, settings, clipboard.
mergeInto(LibraryManager.library, {
  kehu_js_fetch: function (id, method, path, body, bodyLen, headersJson, wantsProgress) {
    Module.kehuFetch(id, UTF8ToString(method), UTF8ToString(path),
                     bodyLen > 0 ? HEAPU8.slice(body, body + bodyLen) : null, JSON.parse(UTF8ToString(headersJson)),
                     wantsProgress !== 0);
  },
  kehu_js_online: function () { return navigator.onLine ? 1 : 0; },
  kehu_js_events_open: function (kioskToken) {
    var token = UTF8ToString(kioskToken);
    Module.kehuEventsOpen(token ? '?kiosk=' + encodeURIComponent(token) : '');
  },
  // A JS string as a malloc'd UTF-8 copy the caller frees, or 0 for null.
  $kehuMallocString: function (v) {
    if (v === null || v === undefined) return 0;
    var len = lengthBytesUTF8(v) + 1;
    var ptr = _malloc(len);
    stringToUTF8(v, ptr, len);
    return ptr;
  },
  kehu_js_page_parameter__deps: ['$kehuMallocString'],
  kehu_js_page_parameter: function (name) {
    var v = null;
    try { v = new URLSearchParams(window.location.search).get(UTF8ToString(name)); } catch (e) { v = null; }
    return kehuMallocString(v);
  },
  kehu_js_page_origin__deps: ['$kehuMallocString'],
  kehu_js_page_origin: function () { return kehuMallocString(window.location.origin); },
  kehu_js_events_close: function () { Module.kehuEventsClose(); },
  kehu_js_load_setting__deps: ['$kehuMallocString'],
  kehu_js_load_setting: function (key) {
    var v = null;
    try { v = window.localStorage.getItem('kehu.' + UTF8ToString(key)); } catch (e) { v = null; }
    return kehuMallocString(v);
  },
  kehu_js_save_setting: function (key, value) {
    try { window.localStorage.setItem('kehu.' + UTF8ToString(key), UTF8ToString(value)); } catch (e) { /* private mode */ }
  },
  kehu_js_open_cache: function (id, name, wait) { Module.kehuCacheOpen(id, UTF8ToString(name), wait); },
  kehu_js_cache_ask: function (name) { Module.kehuCacheAsk(UTF8ToString(name)); },
  kehu_js_cache_release: function (name) { Module.kehuCacheRelease(UTF8ToString(name)); },
  kehu_js_persist_begin: function (name, size) { Module.kehuPersistBegin(UTF8ToString(name), size); },
  kehu_js_persist_chunk: function (index, data, len) { Module.kehuPersistChunk(index, HEAPU8.slice(data, data + len)); },
  kehu_js_persist_commit: function () { Module.kehuPersistCommit(); },
  kehu_js_persist_continue: function () { Module.kehuPersistContinue(); },
  kehu_js_persist_abandon: function () { Module.kehuPersistAbandon(); },
  kehu_js_delete_cache: function (name) { Module.kehuCacheDelete(UTF8ToString(name)); },
  kehu_js_set_clipboard: function (text) { Module.kehuSetClipboard(UTF8ToString(text)); },
  // The fragment of the page address without '#' ("/customers/123"), and setting it without a reload.
  kehu_js_location: function () {
    var h = window.location.hash.replace(/^#/, ''), v = h;
    try { v = decodeURI(h); } catch (e) { /* a stray % in a typed address: take it as it is */ }
    var len = lengthBytesUTF8(v) + 1;
    var ptr = _malloc(len);
    stringToUTF8(v, ptr, len);
    return ptr;
  },
  kehu_js_set_location: function (path, replace) {
    var url = window.location.pathname + window.location.search + '#' + encodeURI(UTF8ToString(path));
    if (replace) window.history.replaceState(null, '', url); else window.history.pushState(null, '', url);
  },
  kehu_js_go_back: function () { window.history.back(); },
  kehu_js_open_page: function (path) { window.open(UTF8ToString(path), '_blank', 'noopener'); },
  kehu_js_download: function (path, fileName) { Module.kehuDownload(UTF8ToString(path), UTF8ToString(fileName)); },
  kehu_js_choose_file: function (accept) { Module.kehuChooseFile(UTF8ToString(accept)); },
  kehu_js_read_chosen_file: function (request, id, offset, length) { Module.kehuReadChosenFile(request, id, offset, length); },
  kehu_js_utc_offset_minutes: function () { return -new Date().getTimezoneOffset(); },
});
