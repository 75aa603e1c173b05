// Search over the prebuilt index inlined in search.html, with MiniSearch (vendored: assets/minisearch.js,
// MIT licence beside it): no server, no network, works from file://. The index is one JSON object:
// docs [page, page title, section anchor, section title, text], aliases (other names and spellings ->
// the words the pages use: the units' Russian, Kazakh and older names from data/units.csv, and a few terms),
// lang. Ranking: sections whose heading holds the query words first, then MiniSearch's BM25 score; words
// match by prefix (3+ letters) and with typos (1 edit from 5 letters, 2 from 7); numbers as written
// (77.18 %, 77.18%, 77,18).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("site-search-index").textContent);
  var docs = data.docs, aliases = data.aliases || {}, messages = data.words || {};
  // the page's words in its language (the English message where the catalog has none), {name} filled in
  function say(message, values) {
    return (messages[message] || message).replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values || {}, name) ? values[name] : all;
    });
  }
  var input = document.getElementById("site-search-q");
  var status = document.getElementById("site-search-status");
  var list = document.getElementById("site-search-results");
  var MAX_RESULTS = 50;
  var TOKEN = /\d+(?:[.,]\d+)*|[^\s\d!-\/:-@\[-`{-~\u00a0-\u00bf\u2000-\u206f«»—–]+/g;

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function tokens(text) {
    return (fold(text).match(TOKEN) || []).map(function (t) { return t.replace(/(\d),(?=\d)/g, "$1."); });
  }
  // other names -> the pages' words, longest names first (a query may hold several words of a name)
  var aliasKeys = Object.keys(aliases).sort(function (a, b) { return b.split(" ").length - a.split(" ").length; });
  function expand(words) {
    var out = words.slice();
    aliasKeys.forEach(function (key) {
      var parts = key.split(" ");
      for (var i = 0; i + parts.length <= out.length; i++) {
        if (out.slice(i, i + parts.length).join(" ") === key) {
          Array.prototype.splice.apply(out, [i, parts.length].concat(aliases[key].split(" ")));
        }
      }
    });
    return out;
  }

  var engine = new MiniSearch({
    fields: ["title", "text"],
    tokenize: function (text) { return tokens(text); },
    processTerm: function (term) { return term; },
    searchOptions: {
      boost: { title: 4 },
      prefix: function (term) { return term.length >= 3 && !/\d/.test(term); },
      fuzzy: function (term) { return /\d/.test(term) ? 0 : term.length >= 7 ? 2 : term.length >= 5 ? 1 : 0; },
      combineWith: "AND"
    }
  });
  engine.addAll(docs.map(function (e, i) {
    return { id: i, title: e[3], text: e[4] };
  }));

  function snippet(entry, terms) {
    var text = entry[4], low = fold(text), at = -1;
    for (var i = 0; i < terms.length && at === -1; i++) at = low.indexOf(terms[i]);
    var start = Math.max(0, at - 80), end = Math.min(text.length, (at === -1 ? 0 : at) + 160);
    var piece = (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
    var p = document.createElement("p"), lowPiece = fold(piece), pos = 0, marks = [];
    terms.forEach(function (w) {
      var k = lowPiece.indexOf(w);
      while (k !== -1) { marks.push([k, k + w.length]); k = lowPiece.indexOf(w, k + w.length); }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      p.appendChild(document.createTextNode(piece.slice(pos, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = piece.slice(m[0], m[1]);
      p.appendChild(mark);
      pos = m[1];
    });
    p.appendChild(document.createTextNode(piece.slice(pos)));
    return p;
  }

  function search(query) {
    var words = expand(tokens(query));
    if (!words.length) return [];
    var q = words.join(" ");
    var results = engine.search(q);
    if (!results.length && words.length > 1) results = engine.search(q, { combineWith: "OR" });
    results.forEach(function (r) {
      var page = docs[r.id][0];
      // how many of the matched words stand in the section's heading (or the page's title)
      r.inTitle = r.terms.filter(function (t) { return r.match[t].indexOf("title") !== -1; }).length;
      // a page named for a matched word (02_turnout for "turnout") ranks its sections higher; the index
      // page, the data README and the glossary repeat and document what the notebook pages find, so they rank lower
      if (r.terms.some(function (t) { return tokens(page.replace(/\.html$/, "")).indexOf(t) !== -1; })) r.score *= 2;
      if (page === "index.html") r.score *= 0.5;
      else if (page.indexOf("data/") === 0 || page === "glossary.html") r.score *= 0.7;
    });
    results.sort(function (a, b) { return b.inTitle - a.inTitle || b.score - a.score || a.id - b.id; });
    return results;
  }

  function run(query) {
    list.textContent = "";
    var words = tokens(query);
    if (!words.length) { status.textContent = say("Type a word or two, e.g. Almaty or exit poll."); return; }
    var hits = search(query);
    status.textContent = !hits.length ? say("Nothing found for “{query}”.", { query: query }) :
      hits.length > MAX_RESULTS ? say("Sections found: {count}, the first {shown} shown", { count: hits.length, shown: MAX_RESULTS }) :
      say("Sections found: {count}", { count: hits.length });
    hits.slice(0, MAX_RESULTS).forEach(function (hit) {
      var e = docs[hit.id], li = document.createElement("li"), a = document.createElement("a");
      a.href = e[0] + (e[2] ? "#" + e[2] : "");
      a.textContent = e[3] && e[3] !== e[1] ? e[1] + " › " + e[3] : e[1];
      li.appendChild(a);
      li.appendChild(snippet(e, hit.terms));
      list.appendChild(li);
    });
  }

  window.siteSearch = search;  // for the browser tests
  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  run(query);
  input.addEventListener("input", function () {
    run(input.value);
    if (window.history && window.history.replaceState && window.location.protocol !== "file:") {
      window.history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    }
  });
})();
