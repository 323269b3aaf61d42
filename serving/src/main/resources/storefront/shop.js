// The demo storefront (no build step): a product grid from GET /v1/items, real events through POST /v1/events,
// the shopper's newest list from GET /v1/{customers|sessions}/{id}/suggestions with its reasons, impressions and
// clicks through POST /v1/feedback, "viewed together" from GET /v1/items/{id}/similar, and the trigger decision
// on an abandoned basket from GET /v1/customers/{id}/trigger-decision.
// Open it as /?key=WRITE_KEY (bin/nextbest demo prints that URL). Everything shown is set as text, never as HTML.
'use strict';
(function () {
  const params = new URLSearchParams(location.search);
  const apiKey = params.get('key') || '';
  const SHOWN = 6; // items of a list the panel shows (and reports impressions of)
  const ID = /^[A-Za-z0-9._:@-]{1,128}$/;
  const state = {
    sessionId: 'web-' + randomHex(8),
    customerId: null,
    items: new Map(), // itemId -> catalog facts of the grid
    list: null, // the list on screen
    basket: new Map(), // itemId -> quantity
    sent: { events: 0, impressions: 0, clicks: 0, dismissals: 0 },
    triggerTimer: null,
  };
  const $ = (id) => document.getElementById(id);

  function randomHex(n) {
    const bytes = new Uint8Array(Math.ceil(n / 2));
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').slice(0, n);
  }

  function status(text) {
    $('status').textContent = text || '';
  }

  function headers(json) {
    const h = {};
    if (apiKey) h['X-Api-Key'] = apiKey;
    if (json) h['Content-Type'] = 'application/json';
    return h;
  }

  async function getJson(path) {
    const r = await fetch(path, { headers: headers(false), cache: 'no-store' });
    let body = null;
    try { body = await r.json(); } catch (e) { /* not JSON */ }
    return { status: r.status, body };
  }

  async function post(path, body) {
    const r = await fetch(path, { method: 'POST', headers: headers(true), body: JSON.stringify(body) });
    if (r.status !== 202) {
      let detail = '';
      try { const e = await r.json(); detail = e.error + ': ' + e.detail; } catch (e) { /* not JSON */ }
      status(path + ' answered ' + r.status + (detail ? ' (' + detail + ')' : '')
        + (r.status === 401 ? '. Open this page as /?key=YOUR_WRITE_KEY.' : ''));
      throw new Error('POST ' + path + ': ' + r.status);
    }
    return r;
  }

  function who() {
    return state.customerId ? { customerId: state.customerId, sessionId: state.sessionId }
      : { sessionId: state.sessionId };
  }

  function listPath() {
    return state.customerId ? '/v1/customers/' + encodeURIComponent(state.customerId) + '/suggestions'
      : '/v1/sessions/' + encodeURIComponent(state.sessionId) + '/suggestions';
  }

  // ---------------------------------------------------------------- events

  /**
   * Sends an interaction; once it is accepted, runs {@code accepted} and waits (up to 5 s) for the list the job
   * makes from it. The page marks the event it waits for (body data-last-event) and the list it shows
   * (data-trigger-event of the panel's header), so that a test can tell when the panel has followed.
   */
  async function interaction(type, itemId, placement, extra, accepted) {
    const eventId = 'web-' + randomHex(16);
    const body = Object.assign({ eventId, type }, who(), {
      itemId, timestamp: new Date().toISOString(), channel: 'web', placement,
    }, extra || {});
    const sentAt = performance.now();
    document.body.dataset.lastEvent = eventId;
    await post('/v1/events', body);
    state.sent.events++;
    if (accepted) accepted();
    await awaitList(eventId, sentAt);
  }

  async function customerEvent(type, extra) {
    const body = Object.assign({ eventId: 'web-' + randomHex(16), type, customerId: state.customerId,
      timestamp: new Date().toISOString() }, extra || {});
    await post('/v1/events', body);
    state.sent.events++;
  }

  // The list of this event, or after a second a list made since the event was sent: the shopper's other
  // devices (or the demo's generator, which plays the same shoppers) may have written a newer one over it.
  async function awaitList(eventId, sentAt) {
    const sentAtWall = Date.now();
    const deadline = performance.now() + 5000;
    while (performance.now() < deadline) {
      const r = await getJson(listPath());
      const waited = performance.now() - sentAt;
      if (r.status === 200 && r.body && (r.body.triggerEventId === eventId
          || waited > 1000 && r.body.generatedAt && Date.parse(r.body.generatedAt) >= sentAtWall)) {
        render(r.body, Math.round(waited));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    status('No list for your last click within 5 s (is the job running?)');
    refresh();
  }

  async function refresh() {
    const r = await getJson(listPath());
    if (r.status === 200 && r.body) {
      const l = state.list;
      if (!l || l.sequence !== r.body.sequence || l.source !== r.body.source
          || (l.customerId || l.sessionId) !== (r.body.customerId || r.body.sessionId)) {
        render(r.body, null);
      }
    } else if (r.status === 401) {
      status('Reads need an API key here: open this page as /?key=YOUR_KEY.');
    }
  }

  // ---------------------------------------------------------------- the suggestions panel

  function render(list, afterMs) {
    state.list = list;
    const ol = $('suggestions');
    ol.replaceChildren();
    const shown = (list.items || []).slice(0, SHOWN);
    for (const item of shown) {
      const li = document.createElement('li');
      li.className = 'suggestion';
      li.dataset.item = item.itemId;
      const title = document.createElement('div');
      title.className = 'title';
      title.textContent = (item.title || item.itemId) + (item.price != null ? '  ·  ' + money(item.price, item.currency) : '');
      const reasons = document.createElement('div');
      reasons.className = 'reasons';
      reasons.textContent = (item.reasons || []).map(reasonText).join(' · ');
      const dismiss = document.createElement('button');
      dismiss.className = 'dismiss';
      dismiss.type = 'button';
      dismiss.title = 'Not interested: not suggested to you again for a while';
      dismiss.textContent = 'Not interested';
      dismiss.addEventListener('click', (e) => { e.stopPropagation(); dismissSuggestion(list, item, li); });
      li.append(title, reasons, dismiss);
      li.addEventListener('click', () => clickSuggestion(list, item));
      ol.append(li);
    }
    const meta = $('suggestions-meta');
    meta.dataset.sequence = list.sequence != null ? String(list.sequence) : '';
    meta.dataset.triggerEvent = list.triggerEventId || '';
    meta.dataset.source = list.source || '';
    meta.dataset.variant = list.variant || '';
    meta.dataset.experiment = list.experimentId || '';
    meta.textContent = (list.source === 'trending-fallback' ? 'Trending (no personal list yet)'
      : 'List #' + list.sequence + ' · ' + list.strategy + (list.variant ? ' · variant ' + list.variant : '')
        + (list.experimentId ? ' of experiment ' + list.experimentId : ''))
      + (afterMs != null ? ' · shown ' + afterMs + ' ms after your click' : '');
    reportImpressions(list, shown);
  }

  /** A reason as the job wrote it, with the item it names shown by its title when the grid knows it. */
  function reasonText(r) {
    const related = r.relatedItemId && state.items.get(r.relatedItemId);
    return related && related.title ? r.text.split(r.relatedItemId).join('“' + related.title + '”') : r.text;
  }

  function feedback(type, list, itemId) {
    const body = Object.assign({ eventId: 'web-' + randomHex(16), type }, who(), {
      timestamp: new Date().toISOString(), itemId, placement: list.placement || 'home',
    });
    if (list.sequence != null) body.suggestionSequence = list.sequence;
    if (list.variant) body.variant = list.variant;
    return post('/v1/feedback', body);
  }

  async function reportImpressions(list, shown) {
    try {
      await Promise.all(shown.map((item) => feedback('impression', list, item.itemId)));
      state.sent.impressions += shown.length;
    } catch (e) { /* status shows why */ }
    showCounts();
  }

  async function clickSuggestion(list, item) {
    try {
      await feedback('click', list, item.itemId);
      state.sent.clicks++;
      showCounts();
    } catch (e) { /* status shows why */ }
    openProduct(item.itemId, 'suggestions');
  }

  async function dismissSuggestion(list, item, li) {
    try {
      await feedback('dismiss', list, item.itemId);
      state.sent.dismissals++;
      li.remove();
      showCounts();
    } catch (e) { /* status shows why */ }
  }

  function showCounts() {
    const c = state.sent;
    const n = (k, word) => k + ' ' + word + (k === 1 ? '' : 's');
    $('feedback-count').textContent = 'Sent: ' + n(c.events, 'event') + ', ' + n(c.impressions, 'impression') + ', '
      + n(c.clicks, 'click') + ', ' + n(c.dismissals, 'dismissal');
    $('feedback-count').dataset.dismissals = String(c.dismissals);
    $('feedback-count').dataset.impressions = String(c.impressions);
    $('feedback-count').dataset.clicks = String(c.clicks);
  }

  // ---------------------------------------------------------------- grid, product page, basket

  function money(price, currency) {
    return Number(price).toFixed(2) + ' ' + (currency || '');
  }

  async function loadGrid() {
    const grid = $('grid');
    let after = null;
    for (let page = 0; page < 5; page++) { // up to 500 items
      const r = await getJson('/v1/items?limit=100' + (after ? '&after=' + encodeURIComponent(after) : ''));
      if (r.status !== 200) {
        status('The catalog could not be read (' + r.status + ')');
        return;
      }
      for (const item of r.body.items) {
        state.items.set(item.itemId, item);
        const card = document.createElement('div');
        card.className = 'product' + (item.inStock === false ? ' out-of-stock' : '');
        card.dataset.item = item.itemId;
        const t = document.createElement('div');
        t.className = 'title';
        t.textContent = item.title || item.itemId;
        const c = document.createElement('div');
        c.className = 'category';
        c.textContent = (item.categoryPath || []).join(' › ');
        const p = document.createElement('div');
        p.className = 'price';
        p.textContent = money(item.price, item.currency) + (item.inStock === false ? ' · out of stock' : '');
        const add = document.createElement('button');
        add.type = 'button';
        add.className = 'add';
        add.textContent = 'Add to basket';
        add.disabled = item.inStock === false;
        add.addEventListener('click', (e) => { e.stopPropagation(); addToBasket(item.itemId, 'grid'); });
        card.append(t, c, p, add);
        card.addEventListener('click', () => openProduct(item.itemId, 'grid'));
        grid.append(card);
      }
      if (!r.body.next) break;
      after = r.body.next;
    }
    if (state.items.size === 0) status('The catalog is empty so far; reload in a moment.');
  }

  async function openProduct(itemId, placement) {
    const item = state.items.get(itemId) || (await getJson('/v1/items/' + encodeURIComponent(itemId))).body || { itemId };
    const panel = $('product');
    panel.hidden = false;
    panel.dataset.item = itemId;
    $('product-title').textContent = item.title || itemId;
    $('product-facts').textContent = [(item.categoryPath || []).join(' › '), item.brand,
      item.price != null ? money(item.price, item.currency) : null].filter(Boolean).join(' · ');
    $('product-add').onclick = () => addToBasket(itemId, 'product');
    showViewedTogether(itemId);
    try {
      await interaction('view', itemId, placement, item.price != null ? { price: item.price } : {});
    } catch (e) { /* status shows why */ }
  }

  async function showViewedTogether(itemId) {
    const ol = $('viewed-together');
    ol.replaceChildren();
    const r = await getJson('/v1/items/' + encodeURIComponent(itemId) + '/similar?limit=5');
    if (r.status !== 200) {
      const li = document.createElement('li');
      li.className = 'hint';
      li.textContent = 'Not enough shoppers viewed this item with others yet.';
      ol.append(li);
      return;
    }
    for (const n of r.body.items) {
      const li = document.createElement('li');
      li.dataset.item = n.itemId;
      li.textContent = (n.title || n.itemId) + '  (similarity ' + Number(n.similarity).toFixed(2) + ')';
      li.addEventListener('click', () => openProduct(n.itemId, 'product'));
      ol.append(li);
    }
  }

  async function addToBasket(itemId, placement) {
    const item = state.items.get(itemId) || {};
    try {
      await interaction('add_to_cart', itemId, placement,
        Object.assign({ quantity: 1 }, item.price != null ? { price: item.price } : {}), () => {
          state.basket.set(itemId, (state.basket.get(itemId) || 0) + 1);
          renderBasket();
        });
    } catch (e) { /* status shows why */ }
  }

  function renderBasket() {
    const ul = $('basket');
    ul.replaceChildren();
    for (const [itemId, quantity] of state.basket) {
      const li = document.createElement('li');
      li.dataset.item = itemId;
      li.textContent = quantity + ' × ' + ((state.items.get(itemId) || {}).title || itemId);
      ul.append(li);
    }
  }

  // ---------------------------------------------------------------- signing in, consent, trigger decisions

  async function signIn() {
    const id = $('customer').value.trim();
    if (!ID.test(id)) {
      status('A shopper id is 1..128 letters, digits and . _ : @ -');
      return;
    }
    state.customerId = id;
    try {
      await customerEvent('identify', { sessionId: state.sessionId });
    } catch (e) {
      state.customerId = null;
      return;
    }
    status('');
    $('who').textContent = 'Signed in as ' + id;
    $('sign-in').hidden = true;
    $('sign-out').hidden = false;
    $('customer').disabled = true;
    $('consent').disabled = false;
    $('consent').checked = false;
    state.triggerTimer = setInterval(showTriggerDecision, 1000);
    setTimeout(refresh, 500); // the session's history now counts for the customer
  }

  function signOut() {
    clearInterval(state.triggerTimer);
    state.customerId = null;
    state.sessionId = 'web-' + randomHex(8);
    state.basket.clear();
    state.list = null;
    renderBasket();
    $('who').textContent = 'Browsing anonymously';
    $('sign-in').hidden = false;
    $('sign-out').hidden = true;
    $('customer').disabled = false;
    $('consent').disabled = true;
    $('trigger').hidden = true;
    refresh();
  }

  async function consent() {
    try {
      await customerEvent('consent', { channel: 'email', granted: $('consent').checked });
    } catch (e) {
      $('consent').checked = !$('consent').checked;
    }
  }

  async function showTriggerDecision() {
    if (!state.customerId) return;
    const r = await getJson('/v1/customers/' + encodeURIComponent(state.customerId) + '/trigger-decision');
    const box = $('trigger');
    if (r.status !== 200 || !r.body) return;
    const d = r.body;
    box.hidden = false;
    box.className = d.outcome;
    box.dataset.outcome = d.outcome;
    box.dataset.decision = d.decisionId;
    const when = new Date(d.decidedAt).toLocaleTimeString();
    const basket = money(d.basketValue, d.currency) + ', ' + d.lines + (d.lines === 1 ? ' line' : ' lines');
    box.textContent = d.outcome === 'sent' ? 'Basket reminder sent by ' + d.channel + ' at ' + when + ' (' + basket + ')'
      : d.outcome === 'deferred' ? 'Basket reminder deferred (' + d.reason + ') until '
        + new Date(d.deferredUntil).toLocaleTimeString() + ' (' + basket + ')'
        : d.outcome === 'held_out' ? 'Basket reminder held back: this shopper is in the reminders\' holdout group ('
          + basket + ')'
        : 'Basket reminder ' + d.outcome + ': ' + d.reason + ' (' + basket + ')';
  }

  $('sign-in').addEventListener('click', signIn);
  $('sign-out').addEventListener('click', signOut);
  $('consent').addEventListener('change', consent);
  $('close-product').addEventListener('click', () => { $('product').hidden = true; });
  loadGrid().then(refresh);
  setInterval(refresh, 3000);
  showCounts();
}());
