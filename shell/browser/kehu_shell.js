// kehu_shell.js — the page side of the browser host (linked as --post-js, so it runs inside the module):
//   [frames]     draw only when something happened: at the next animation frame (a timer when none comes)
//                on input, plus a 4 Hz poll of kehu_wants_frame (answers, sync work) — an idle tab draws nothing.
//   [canvas]     CSS size × devicePixelRatio, mouse in device pixels, fonts rebuilt on a new ratio.
//   [keyboard]   a 1-px transparent <textarea> sits at ImGui's caret while a text field is active, so
//                the IME composes there; composed text is committed once, on compositionend; keys the
//                app uses are forwarded once and kept from the browser (Ctrl+S, Ctrl+A, ...).
//   [clipboard]  copy through navigator.clipboard; paste from the page's paste event.
//   [network]    fetch with the session cookie and the CSRF header, bodies back to C++.
//   [storage]    IndexedDB: the cache's chunks (chunk_vfs.h), written one transaction per flush.
//   [test hook]  window.kehuTest.snapshot() with ?test=1 (SPEC §8).
(function () {
  'use strict';
  var canvas = document.getElementById('canvas');
  var ime = document.getElementById('ime');
  var scheduled = false;
  var started = false;

  // Passing data into the wasm heap for one call: fn(pointer) with `text` as a NUL-terminated UTF-8
  // string, fn(pointer, length) with `bytes` (a Uint8Array; null or empty gives pointer 0, length 0).
  function withUtf8(text, fn) {
    var len = lengthBytesUTF8(text) + 1;
    var p = _malloc(len);
    stringToUTF8(text, p, len);
    try { fn(p); } finally { _free(p); }
  }
  function withBytes(bytes, fn) {
    if (!bytes || !bytes.length) return fn(0, 0);
    var p = _malloc(bytes.length);
    HEAPU8.set(bytes, p);
    try { fn(p, bytes.length); } finally { _free(p); }
  }

  // ---------------------------------------------------------------------------------------- [frames]
  // What the benches read (bench/browser/): when the first frame with the UI font was drawn, how many
  // frames and how long the longest took, and when each cache flush began and was committed.
  var boot = window.kehuBoot || (window.kehuBoot = {});
  // recent: [start, milliseconds] of the last 5000 frames, for the frame-time bench. Kept in a typed
  // array allocated once, so the page's heap does not grow as frames are drawn (a kiosk runs for months).
  var kRecentFrames = 5000, frameTimes = new Float64Array(2 * kRecentFrames), frameNext = 0, frameKept = 0;
  boot.frames = { count: 0, longestMs: 0 };
  Object.defineProperty(boot.frames, 'recent', {
    get: function () {
      var out = [];
      for (var i = frameKept; i > 0; --i) {
        var k = (frameNext - i + kRecentFrames) % kRecentFrames;
        out.push([frameTimes[2 * k], frameTimes[2 * k + 1]]);
      }
      return out;
    },
  });
  boot.flushes = [];  // {begin, end, bytes} in performance.now() milliseconds
  var fontReady = false;
  function countFrame(t0, t1) {
    boot.frames.count++;
    boot.frames.longestMs = Math.max(boot.frames.longestMs, t1 - t0);
    frameTimes[2 * frameNext] = t0;
    frameTimes[2 * frameNext + 1] = t1 - t0;
    frameNext = (frameNext + 1) % kRecentFrames;
    frameKept = Math.min(frameKept + 1, kRecentFrames);
    if (fontReady && !boot.firstFrameAt) boot.firstFrameAt = t1;
  }
  // Input is drawn at the next animation frame. News (an answer from the server, a server event, a
  // flush stored) and the client's own wish to show something new (kehu_frame and kehu_wants_frame
  // answer 1) are drawn at most once per newsFrameGapMs: a replay answers a hundred edits a second, and
  // where the page is drawn without a GPU (software WebGL: a virtual machine, a kiosk TV's box, headless
  // Chromium) each frame costs the browser's GPU process tens of milliseconds of CPU, which the network
  // and the server would otherwise get. News after a quiet spell is drawn at once.
  var newsFrameGapMs = 100, lastFrameAt = -Infinity, newsTimer = 0;
  // A frame asked for is drawn at the next animation frame, or by a timer after frameFallbackMs when
  // the browser gives none although the page is shown: headless Chromium on a loaded machine has been
  // seen to hold animation frames back for seconds, and typed keys then waited unseen. A hidden page
  // is left to its next animation frame (it draws when shown).
  var frameFallbackMs = 1000, frameTimer = 0;
  boot.frames.late = 0;  // frames the timer drew because no animation frame came
  function drawFrame(late) {
    if (!scheduled) return;
    scheduled = false;
    clearTimeout(frameTimer);
    frameTimer = 0;
    clearTimeout(newsTimer);
    newsTimer = 0;
    if (late) boot.frames.late++;
    var t0 = lastFrameAt = performance.now();
    var more = Module._kehu_frame();
    countFrame(t0, performance.now());
    wantFrame(more);
  }
  function drawLate() {
    frameTimer = 0;
    if (document.visibilityState === 'visible') drawFrame(true);
  }
  function requestFrame() {
    if (scheduled || !started) return;
    scheduled = true;
    requestAnimationFrame(function () { drawFrame(false); });
    frameTimer = setTimeout(drawLate, frameFallbackMs);
  }
  function requestNewsFrame() {
    if (scheduled || newsTimer || !started) return;
    var wait = lastFrameAt + newsFrameGapMs - performance.now();
    if (wait <= 0) return requestFrame();
    newsTimer = setTimeout(function () { newsTimer = 0; requestFrame(); }, wait);
  }
  // 2: input is being handled, the next frame at once; 1: something new to show; 0: nothing.
  function wantFrame(want) {
    if (want === 2) requestFrame();
    else if (want === 1) requestNewsFrame();
  }
  setInterval(function () { if (started) wantFrame(Module._kehu_wants_frame()); }, 250);

  // ---------------------------------------------------------------------------------------- [canvas]
  var dpr = 1;
  function resize() {
    dpr = window.devicePixelRatio || 1;
    var w = Math.max(1, Math.floor(canvas.clientWidth * dpr));
    var h = Math.max(1, Math.floor(canvas.clientHeight * dpr));
    canvas.width = w;
    canvas.height = h;
    Module._kehu_resize(w, h, dpr);
    requestFrame();
  }
  window.addEventListener('resize', resize);
  function watchRatio() {  // a window moved to another screen, or the page zoomed
    var mq = window.matchMedia('(resolution: ' + (window.devicePixelRatio || 1) + 'dppx)');
    mq.addEventListener('change', function () { resize(); watchRatio(); }, { once: true });
  }

  function mouse(e) {
    var r = canvas.getBoundingClientRect();
    Module._kehu_mouse_move((e.clientX - r.left) * dpr, (e.clientY - r.top) * dpr);
  }
  canvas.addEventListener('pointermove', function (e) {
    if (e.pointerType === 'touch') return touchMove(e);
    mouse(e);
    requestFrame();
  });
  canvas.addEventListener('pointerdown', function (e) {
    Module._kehu_pointer_source(e.pointerType === 'touch' ? 1 : 0);
    if (e.pointerType === 'touch') return touchDown(e);
    mouse(e);
    Module._kehu_mouse_button(e.button === 2 ? 1 : e.button === 1 ? 2 : 0, 1);
    requestFrame();
  });
  window.addEventListener('pointerup', function (e) {
    if (e.pointerType === 'touch') return touchUp(e);
    if (e.target === canvas) mouse(e);
    Module._kehu_mouse_button(e.button === 2 ? 1 : e.button === 1 ? 2 : 0, 0);
    requestFrame();
  });
  window.addEventListener('pointercancel', function (e) {
    if (e.pointerType === 'touch' && touch && e.pointerId === touch.id) touchEnd();  // another finger's cancel is not ours
  });

  // ---------------------------------------------------------------------------------------- [touch]
  // A finger is not a mouse. A tap clicks; a drag scrolls what is under it, as far as the finger moved;
  // a press held still for half a second is a right click, which opens a context menu. Only the first
  // finger counts. (The canvas's touch-action: none keeps the browser from panning the page instead.)
  var TAP_SLOP = 10, HOLD_MS = 500;
  var touch = null;  // {id, x, y, lastX, lastY, mode: 'pending' | 'scroll' | 'held', timer}
  function click(button) {
    Module._kehu_mouse_button(button, 1);  // ImGui sees the press and the release in separate frames
    Module._kehu_mouse_button(button, 0);
    requestFrame();
  }
  function touchDown(e) {
    if (touch) return;
    mouse(e);
    touch = { id: e.pointerId, x: e.clientX, y: e.clientY, lastX: e.clientX, lastY: e.clientY, mode: 'pending' };
    touch.timer = setTimeout(function () {
      if (!touch || touch.mode !== 'pending') return;
      touch.mode = 'held';
      click(1);
    }, HOLD_MS);
    requestFrame();
  }
  function touchMove(e) {
    if (!touch || e.pointerId !== touch.id) return;
    if (touch.mode === 'pending' && Math.hypot(e.clientX - touch.x, e.clientY - touch.y) > TAP_SLOP) {
      touch.mode = 'scroll';
      clearTimeout(touch.timer);
    }
    if (touch.mode !== 'scroll') return;
    Module._kehu_touch_scroll((e.clientX - touch.lastX) * dpr, (e.clientY - touch.lastY) * dpr);
    touch.lastX = e.clientX;
    touch.lastY = e.clientY;
    requestFrame();
  }
  function touchUp(e) {
    if (!touch || e.pointerId !== touch.id) return;
    if (touch.mode === 'pending') {
      mouse(e);
      click(0);
    }
    touchEnd();
  }
  function touchEnd() {
    if (touch) clearTimeout(touch.timer);
    touch = null;
  }
  canvas.addEventListener('wheel', function (e) {
    e.preventDefault();
    var unit = e.deltaMode === 1 ? 1 : 1 / 100;  // lines, or pixels as ~100 per notch
    Module._kehu_wheel(-e.deltaX * unit, -e.deltaY * unit);
    requestFrame();
  }, { passive: false });
  canvas.addEventListener('contextmenu', function (e) { e.preventDefault(); });
  window.addEventListener('blur', function () { Module._kehu_focus(0); requestFrame(); });
  window.addEventListener('focus', function () { Module._kehu_focus(1); requestFrame(); });

  // ---------------------------------------------------------------------------------------- [keyboard]
  var wantText = false;
  var composing = false;
  function sendText(text) {
    if (!text) return;
    withUtf8(text, Module._kehu_text);
    requestFrame();
  }
  var isMac = /Mac|iPhone|iPad/.test(navigator.platform || '');
  function sendKey(e, down) {
    // On a Mac, Cmd is the shortcut key: ImGui (built for no particular OS) expects shortcuts on Ctrl.
    var ctrl = e.ctrlKey || (isMac && e.metaKey);
    withUtf8(e.key, function (p) {
      Module._kehu_key(p, down ? 1 : 0, ctrl ? 1 : 0, e.shiftKey ? 1 : 0, e.altKey ? 1 : 0, e.metaKey && !isMac ? 1 : 0);
    });
    requestFrame();
  }
  // Keys whose browser default would fight the app: navigation and editing keys, and the Ctrl/Cmd
  // shortcuts ImGui uses. Ctrl+V is left to the browser, whose paste event brings the text.
  var appKeys = { Tab: 1, Enter: 1, Escape: 1, Backspace: 1, Delete: 1, ArrowLeft: 1, ArrowRight: 1, ArrowUp: 1,
                  ArrowDown: 1, Home: 1, End: 1, PageUp: 1, PageDown: 1 };
  var appShortcuts = { a: 1, c: 1, x: 1, z: 1, y: 1, s: 1, f: 1, p: 1, k: 1 };
  function onKey(e, down) {
    if (e.isComposing || e.keyCode === 229) return;  // the IME owns this key
    var shortcut = (e.ctrlKey || e.metaKey) && e.key.length === 1;
    if (shortcut && e.key.toLowerCase() === 'v') return;  // paste event follows
    sendKey(e, down);
    if (appKeys[e.key] || (shortcut && appShortcuts[e.key.toLowerCase()])) e.preventDefault();
    e.stopPropagation();
  }
  ime.addEventListener('keydown', function (e) { onKey(e, true); });
  ime.addEventListener('keyup', function (e) { onKey(e, false); });
  window.addEventListener('keydown', function (e) {
    if (e.target === ime) return;
    onKey(e, true);
    // A key typed right after a click, before the textarea took focus: ImGui queues the character and
    // hands it to the field the click activates.
    if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.isComposing) sendText(e.key);
  });
  window.addEventListener('keyup', function (e) { if (e.target !== ime) onKey(e, false); });
  ime.addEventListener('compositionstart', function () { composing = true; });
  ime.addEventListener('compositionend', function (e) {
    composing = false;
    sendText(e.data);  // the one commit of a composition
    ime.value = '';
  });
  ime.addEventListener('input', function (e) {
    if (composing || e.isComposing) return;  // compositionend commits
    sendText(ime.value);
    ime.value = '';
  });
  Module.kehuWantText = function (want) {
    want = !!want;
    if (want === wantText) return;
    wantText = want;
    if (want) ime.focus({ preventScroll: true });
    else if (document.activeElement === ime) ime.blur();
  };
  Module.kehuImePosition = function (visible, x, y, h) {
    if (!visible) return;
    ime.style.left = x + 'px';
    ime.style.top = y + 'px';
    ime.style.height = h + 'px';
  };
  // A tap on the canvas while a field is active keeps the textarea focused (mobile keyboards need a gesture).
  canvas.addEventListener('pointerup', function () { if (wantText) ime.focus({ preventScroll: true }); });

  // ---------------------------------------------------------------------------------------- [clipboard]
  document.addEventListener('paste', function (e) {
    var text = (e.clipboardData ? e.clipboardData.getData('text/plain') : '').replace(/\r\n/g, '\n');
    e.preventDefault();
    if (!text) return;
    withUtf8(text, Module._kehu_paste);
    requestFrame();
  });
  Module.kehuSetClipboard = function (text) {
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).catch(function () {});
  };

  // ---------------------------------------------------------------------------------------- [network]
  // Back, forward, or an address typed by hand: the client shows that place (pushState fires nothing).
  window.addEventListener('popstate', function () {
    var h = window.location.hash.replace(/^#/, ''), v = h;
    try { v = decodeURI(h); } catch (e) { /* a stray % in a typed address: take it as it is */ }
    withUtf8(v, Module._kehu_location);
    requestFrame();
  });
  window.addEventListener('online', function () { Module._kehu_online(1); requestFrame(); });
  window.addEventListener('offline', function () { Module._kehu_online(0); requestFrame(); });
  function deliver(id, status, bytes) {
    withBytes(bytes, function (p, len) { Module._kehu_fetch_done(id, status, p, len); });
    requestNewsFrame();
  }
  // The answer is read as it streams in: a request fails after 30 s without a byte (not after 30 s in
  // all, which a large first-sync download on a slow line needs), and a caller that asked for progress
  // hears of it at most every 100 ms.
  var fetchIdleMs = 30000;
  function readBody(response, onBytes) {
    var length = Number(response.headers.get('Content-Length'));
    var total = length > 0 ? length : -1;
    if (!response.body || !response.body.getReader) {
      return response.arrayBuffer().then(function (b) { onBytes(b.byteLength, total); return new Uint8Array(b); });
    }
    var reader = response.body.getReader();
    var parts = [], received = 0;
    var whole = total > 0 ? new Uint8Array(total) : null;  // filled in place when the length is known
    function next() {
      return reader.read().then(function (step) {
        if (step.done) {
          if (whole) return received === total ? whole : whole.subarray(0, received);
          var out = new Uint8Array(received), at = 0;
          parts.forEach(function (p) { out.set(p, at); at += p.length; });
          return out;
        }
        var chunk = step.value;
        if (whole && received + chunk.length <= total) whole.set(chunk, received);
        else {
          if (whole) { parts.push(whole.subarray(0, received)); whole = null; }
          parts.push(chunk);
        }
        received += chunk.length;
        onBytes(received, total);
        return next();
      });
    }
    return next();
  }
  Module.kehuFetch = function (id, method, path, body, headers, wantsProgress) {
    headers['X-Requested-With'] = 'kehu';
    if (body && !headers['Content-Type']) headers['Content-Type'] = 'application/json';
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, fetchIdleMs);
    var lastReport = 0;
    function onBytes(received, total) {
      clearTimeout(timer);
      timer = setTimeout(function () { abort.abort(); }, fetchIdleMs);
      var now = performance.now();
      if (!wantsProgress || now - lastReport < 100) return;
      lastReport = now;
      Module._kehu_fetch_progress(id, received, total);
      requestNewsFrame();
    }
    fetch(path, { method: method, body: body, headers: headers, credentials: 'same-origin', signal: abort.signal, cache: 'no-store' })
      .then(function (r) {
        return readBody(r, onBytes).then(function (bytes) { clearTimeout(timer); deliver(id, r.status, bytes); });
      })
      .catch(function () { clearTimeout(timer); deliver(id, 0, null); });
  };

  // ------------------------------------------------------------------------------------------ [files]
  // A download is the browser's own (its progress, its folder): a link with `download`, clicked. The
  // session cookie goes with it, as with any GET of the page's origin.
  Module.kehuDownload = function (path, fileName) {
    var a = document.createElement('a');
    a.href = path;
    a.download = fileName;
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    a.remove();
  };
  // The file dialog, opened from the frame that drew the click (still within the click's user
  // activation). Only the last file chosen is kept; its pieces are read on request, so a file of
  // gigabytes never sits in memory whole.
  var chosenFile = null, chosenId = 0;
  Module.kehuChooseFile = function (accept) {
    var input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.style.display = 'none';
    input.addEventListener('change', function () {
      var f = input.files && input.files[0];
      input.remove();
      if (!f) return;
      chosenFile = f;
      chosenId += 1;
      var id = chosenId;
      withUtf8(f.name, function (p) { Module._kehu_file_chosen(id, p, f.size); });
      requestFrame();
    });
    input.addEventListener('cancel', function () { input.remove(); });
    document.body.appendChild(input);
    input.click();
  };
  Module.kehuReadChosenFile = function (request, id, offset, length) {
    function fail() { Module._kehu_file_read(request, 0, 0, 0); requestFrame(); }
    if (!chosenFile || id !== chosenId) { setTimeout(fail, 0); return; }
    chosenFile.slice(offset, offset + length).arrayBuffer().then(function (b) {
      withBytes(new Uint8Array(b), function (p, len) { Module._kehu_file_read(request, 1, p, len); });
      requestFrame();
    }, fail);
  };

  // GET /api/v1/events (Server-Sent Events): the browser's EventSource reconnects by itself after a
  // network break; an HTTP refusal (503 when the server's streams are full, 401) closes it for good, so
  // it is opened again a minute later while still wanted. Meanwhile the client polls.
  var events = null, eventsWanted = false, eventsRetry = 0;
  // `query`: "" for a staff session (the cookie), "?kiosk=TOKEN" for a kiosk display.
  var eventsQuery = '';
  Module.kehuEventsOpen = function (query) {
    eventsWanted = true;
    if (query !== undefined) eventsQuery = query;
    if (typeof EventSource === 'undefined') return;
    if (events) {  // a new listener of a stream already open: tell it as a new stream would
      var open = events;
      setTimeout(function () {
        if (events !== open || open.readyState !== EventSource.OPEN) return;
        Module._kehu_events_open(1);
        withUtf8('ready', Module._kehu_server_event);
        requestFrame();
      }, 0);
      return;
    }
    var source = events = new EventSource('/api/v1/events' + eventsQuery);
    ['ready', 'changes', 'stats'].forEach(function (name) {
      source.addEventListener(name, function () {
        if (events !== source) return;
        withUtf8(name, Module._kehu_server_event);
        requestNewsFrame();
      });
    });
    source.onopen = function () { if (events === source) { Module._kehu_events_open(1); requestFrame(); } };
    source.onerror = function () {
      if (events !== source) return;
      Module._kehu_events_open(0);
      requestFrame();
      if (source.readyState === EventSource.CLOSED) {
        events = null;
        clearTimeout(eventsRetry);
        eventsRetry = setTimeout(function () { if (eventsWanted && !events) Module.kehuEventsOpen(); }, 60000);
      }
    };
  };
  Module.kehuEventsClose = function () {
    eventsWanted = false;
    clearTimeout(eventsRetry);
    if (events) { events.close(); events = null; }
  };

  // ---------------------------------------------------------------------------------------- [storage]
  var idb = null;
  var persistSliceBytes = 1024 * 1024;  // as browser_platform.cpp kPersistSliceBytes
  function withDb(then, fail) {
    if (idb) return then(idb);
    var req = indexedDB.open('kehu-cache', 1);
    req.onupgradeneeded = function () {
      req.result.createObjectStore('chunks');  // key [cache name, chunk index] -> ArrayBuffer
      req.result.createObjectStore('files');   // key cache name -> {size}
    };
    req.onsuccess = function () { idb = req.result; then(idb); };
    req.onerror = function () { fail(); };
  }
  // One tab at a time has a user's cache open (a Web Lock, or a lease where there are none): two would
  // each write their own pages over the other's. A tab that finds the cache held is told so (status 2) and may wait for it (a queued lock
  // request: granted when the holder closes, signs out, or lets go). Asking the holder goes over a
  // BroadcastChannel; the holder stores what it has not stored yet, then releases (kehuCacheRelease).
  var cacheLocks = {};  // cache name -> the function that releases the lock this tab holds for it
  var yielded = {};     // cache name -> when this tab last handed it to a tab that asked
  var cacheChannel = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel('kehu-cache') : null;
  if (cacheChannel) {
    cacheChannel.onmessage = function (e) {
      if (e.data && e.data.type === 'release' && cacheLocks[e.data.name]) {
        yielded[e.data.name] = Date.now();
        Module._kehu_cache_claimed();
        requestFrame();
      }
    };
  }
  // Web Locks exist only in secure contexts (https, localhost). Served over plain http, the lock is a
  // lease in localStorage instead: the owner renews it every 2 s and drops it when the page goes; a lease
  // not renewed for 90 s (a tab that crashed; a hidden tab's timers can slow to once a minute) is free.
  // Two tabs opening in the same instant could both take it: a lease is weaker than a lock, not nothing.
  var tabId = Math.random().toString(36).slice(2) + Date.now().toString(36);
  function leaseLock(name, wait, granted, busy) {
    var key = 'kehu-cache-owner:' + name;
    function heldElsewhere() {
      try {
        var v = JSON.parse(localStorage.getItem(key) || 'null');
        return !!v && v.tab !== tabId && Date.now() - v.at < 90000;
      } catch (e) { return false; }
    }
    function renew() {
      try { localStorage.setItem(key, JSON.stringify({ tab: tabId, at: Date.now() })); } catch (e) { /* storage full or off */ }
    }
    function take() {
      renew();
      var timer = setInterval(renew, 2000);
      function release() {
        clearInterval(timer);
        window.removeEventListener('pagehide', release);
        try {
          var v = JSON.parse(localStorage.getItem(key) || 'null');
          if (v && v.tab === tabId) localStorage.removeItem(key);
        } catch (e) { /* nothing to free */ }
      }
      window.addEventListener('pagehide', release);
      granted(release);
    }
    // A tab that has just handed the cache over waits a little before it may take it again, so the tab
    // that asked (polling every second) gets it first; a lock's queue needs no such rule.
    var quietUntil = (yielded[name] || 0) + 5000;
    if (!heldElsewhere() && (!wait || Date.now() >= quietUntil)) return take();
    if (!wait) return busy();
    var poll = setInterval(function () {
      if (!heldElsewhere() && Date.now() >= quietUntil) { clearInterval(poll); take(); }
    }, 1000);
  }
  function lockCache(name, wait, granted, busy) {
    if (!navigator.locks) return leaseLock(name, wait, granted, busy);
    navigator.locks.request('kehu-cache:' + name, wait ? {} : { ifAvailable: true }, function (lock) {
      if (!lock) return busy();
      return new Promise(granted);
    });
  }
  Module.kehuCacheOpen = function (id, name, wait) {
    lockCache(name, wait, function (release) {
      cacheLocks[name] = release;
      delete asking[name];
      readCache(id, name);
    }, function () {
      Module._kehu_cache_loaded(id, 0, 2);
      requestFrame();
    });
  };
  // A tab asks again every few seconds until it has the cache: with three tabs the lock may go to one that
  // was waiting longer, which is then asked in turn. A tab in the background asks only once it is looked
  // at: opening it must not take the cache from the tab the user is still working in.
  var asking = {};
  Module.kehuCacheAsk = function (name) {
    if (!cacheChannel || asking[name]) return;
    asking[name] = true;
    (function ask() {
      if (!asking[name] || cacheLocks[name]) { delete asking[name]; return; }
      if (document.visibilityState === 'visible') cacheChannel.postMessage({ type: 'release', name: name });
      setTimeout(ask, 3000);
    })();
  };
  Module.kehuCacheRelease = function (name) {
    var release = cacheLocks[name];
    delete cacheLocks[name];
    if (release) release();
  };
  function readCache(id, name) {
    withDb(function (db) {
      var tx = db.transaction(['chunks', 'files'], 'readonly');
      var range = IDBKeyRange.bound([name, 0], [name, Infinity]);
      var keysReq = tx.objectStore('chunks').getAllKeys(range);
      var valsReq = tx.objectStore('chunks').getAll(range);
      var sizeReq = tx.objectStore('files').get(name);
      tx.oncomplete = function () {
        var keys = keysReq.result, vals = valsReq.result, next = 0;
        // Copied into the wasm heap a few MB per task, so a cache of hundreds of MB does not block the
        // page for a second while the client shows that it is opening.
        function loadSlice() {
          var bytesDone = 0;
          withUtf8(name, function (np) {
            while (next < keys.length && bytesDone < persistSliceBytes * 8) {
              var bytes = new Uint8Array(vals[next]);
              vals[next] = null;
              withBytes(bytes, function (p, len) { Module._kehu_cache_chunk(np, keys[next][1], p, len); });
              bytesDone += bytes.length;
              next++;
            }
          });
          if (next < keys.length) return setTimeout(loadSlice, 0);  // a cache opens once: 4 ms waits are fine
          Module._kehu_cache_loaded(id, sizeReq.result ? sizeReq.result.size : 0, 1);
          requestFrame();
        }
        loadSlice();
      };
      tx.onerror = function () { Module._kehu_cache_loaded(id, 0, 0); requestFrame(); };
    }, function () { Module._kehu_cache_loaded(id, 0, 0); requestFrame(); });
  }
  var pending = null;
  Module.kehuPersistBegin = function (name, size) {
    pending = { name: name, size: size, chunks: [], record: { begin: performance.now(), end: 0, bytes: 0 } };
  };
  Module.kehuPersistChunk = function (index, bytes) {
    pending.chunks.push([index, bytes.buffer]);
    pending.record.bytes += bytes.length;
  };
  Module.kehuPersistCommit = function () {
    var flush = pending;
    pending = null;
    boot.flushes.push(flush.record);
    if (boot.flushes.length > 100) boot.flushes.shift();
    var done = function (ok) {
      flush.record.end = performance.now();
      Module._kehu_persist_done(ok);
      requestNewsFrame();
    };
    withDb(function (db) {
      var tx = db.transaction(['chunks', 'files'], 'readwrite');
      var chunks = tx.objectStore('chunks');
      var next = 0;
      // put() copies its value at once, so a flush of tens of MB is put a few MB per task: the next
      // slice goes in from the last put's success callback, where the transaction is still active.
      function putSlice() {
        var bytes = 0, last = null, start = performance.now();
        while (next < flush.chunks.length && (bytes < persistSliceBytes || performance.now() - start < 8)) {
          var c = flush.chunks[next];
          flush.chunks[next++] = null;  // the stored copy is IndexedDB's now
          last = chunks.put(c[1], [flush.name, c[0]]);
          bytes += c[1].byteLength;
        }
        if (next < flush.chunks.length) {
          last.onsuccess = putSlice;
          return;
        }
        var keep = Math.ceil(flush.size / 65536);  // chunk_vfs.h kChunkSize
        chunks.delete(IDBKeyRange.bound([flush.name, keep], [flush.name, Infinity]));
        tx.objectStore('files').put({ size: flush.size }, flush.name);
      }
      putSlice();
      tx.oncomplete = function () { done(1); };
      tx.onerror = tx.onabort = function () { done(0); };
    }, function () { done(0); });
  };
  // The wasm side hands a flush over in slices (browser_platform.cpp), one task each.
  // A message to ourselves: a new task at once (nested setTimeout(0) waits at least 4 ms).
  var persistSteps = new MessageChannel();
  persistSteps.port1.onmessage = function () { Module._kehu_persist_step(); };
  Module.kehuPersistContinue = function () { persistSteps.port2.postMessage(0); };
  Module.kehuPersistAbandon = function () { pending = null; };
  Module.kehuCacheDelete = function (name) {
    withDb(function (db) {
      var tx = db.transaction(['chunks', 'files'], 'readwrite');
      tx.objectStore('chunks').delete(IDBKeyRange.bound([name, 0], [name, Infinity]));
      tx.objectStore('files').delete(name);
    }, function () {});
  };

  // ---------------------------------------------------------------------------------------- fonts
  function loadFont(which, url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ': ' + r.status);
      return r.arrayBuffer();
    }).then(function (b) {
      withBytes(new Uint8Array(b), function (p, len) { Module._kehu_font_data(which, p, len); });
      requestFrame();
    });
  }
  var fallbackAsked = false;
  Module.kehuLoadFallbackFont = function () {
    if (fallbackAsked) return;
    fallbackAsked = true;
    loadFont(1, 'fonts/kehu-ui-ext.ttf').catch(function (e) {
      console.error(e);
      Module._kehu_font_data(1, 0, 0);  // unavailable: the client stops asking (and stops drawing for it)
    });
  };
  var primaryFont = fetch('fonts/kehu-ui.ttf').then(function (r) { return r.ok ? r.arrayBuffer() : null; }).catch(function () { return null; });

  // ---------------------------------------------------------------------------------------- start
  Module.kehuStarted = function () {
    started = true;
    resize();
    watchRatio();
    primaryFont.then(function (b) {
      if (!b) { console.error('fonts/kehu-ui.ttf did not load'); return; }
      withBytes(new Uint8Array(b), function (p, len) { Module._kehu_font_data(0, p, len); });
      fontReady = true;
      requestFrame();
    });
  };
  Module.kehuFatal = function (what) {
    var el = document.getElementById('status');
    if (!el) return;
    el.hidden = false;
    el.textContent = what === 'webgl2' ? '此浏览器不支持 WebGL2，无法显示客户端。 / This browser lacks WebGL2.' : what;
  };

  // ---------------------------------------------------------------------------------------- [test hook]
  if (/[?&]test=1\b/.test(location.search)) {
    window.kehuTest = {
      snapshot: function () {
        if (!started) return { screen: '', frame: 0, lang: '', online: navigator.onLine, pending: 0, items: [] };
        return JSON.parse(UTF8ToString(Module._kehu_test_snapshot()));
      },
      // Queues an edit of the notes of each of the first `count` customers (the replay bench).
      queueNotesEdits: function (count, notes) {
        if (!started) return 0;
        var queued = 0;
        withUtf8(notes, function (p) { queued = Module._kehu_test_queue_notes_edits(count, p); });
        requestFrame();
        return queued;
      },
    };
  }
})();
