// Search over the prebuilt index inlined in search.html: no server, no network, works from file://.
// Each entry is [page, page title, section anchor, section title, section text]. A section matches when
// it holds every word of the query (case and accents ignored); matches in the section title rank first.
(function () {
  "use strict";
  var index = JSON.parse(document.getElementById("site-search-index").textContent);
  var input = document.getElementById("site-search-q");
  var status = document.getElementById("site-search-status");
  var list = document.getElementById("site-search-results");
  var MAX_RESULTS = 50;

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  var folded = index.map(function (e) { return { title: fold(e[1] + " " + e[3]), text: fold(e[4]) }; });

  function count(haystack, word) {
    var n = 0, at = haystack.indexOf(word);
    while (at !== -1) { n += 1; at = haystack.indexOf(word, at + word.length); }
    return n;
  }

  function snippet(entry, words) {
    var text = entry[4], low = fold(text), at = -1;
    for (var i = 0; i < words.length && at === -1; i++) at = low.indexOf(words[i]);
    var start = Math.max(0, at - 80), end = Math.min(text.length, (at === -1 ? 0 : at) + 160);
    var piece = (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
    var p = document.createElement("p"), lowPiece = fold(piece), pos = 0;
    // mark each occurrence of a query word (folding keeps lengths for the scripts used here)
    var marks = [];
    words.forEach(function (w) {
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

  function run(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) { status.textContent = "Type a word or two, e.g. Almaty or exit poll."; return; }
    var hits = [];
    folded.forEach(function (f, i) {
      var score = 0;
      for (var j = 0; j < words.length; j++) {
        var inTitle = count(f.title, words[j]), inText = count(f.text, words[j]);
        if (!inTitle && !inText) return;
        score += 10 * inTitle + inText;
      }
      hits.push([score, i]);
    });
    hits.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    status.textContent = hits.length ? hits.length + " section" + (hits.length === 1 ? "" : "s") + " found" +
      (hits.length > MAX_RESULTS ? ", the first " + MAX_RESULTS + " shown" : "") : "Nothing found for “" + query + "”.";
    hits.slice(0, MAX_RESULTS).forEach(function (hit) {
      var e = index[hit[1]], li = document.createElement("li"), a = document.createElement("a");
      a.href = e[0] + (e[2] ? "#" + e[2] : "");
      a.textContent = e[3] && e[3] !== e[1] ? e[1] + " › " + e[3] : e[1];
      li.appendChild(a);
      li.appendChild(snippet(e, words));
      list.appendChild(li);
    });
  }

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
