/* Archive search with Pagefind, in Material's header search box.
 *
 * Loaded only when hooks/archive_search.py chose Pagefind. Pagefind's own module
 * (<site>/pagefind/pagefind.js) is imported on first use, so a page that is never searched
 * downloads nothing of the index. Results use Material's result markup: title, the date
 * and kind of page, and Pagefind's excerpt with the matched words marked.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-archive-search]");
  if (!root) return;
  var input = root.querySelector("input[name=query]");
  var form = root.querySelector("[data-archive-search-form]");
  var list = root.querySelector("[data-archive-search-results]");
  var meta = root.querySelector("[data-archive-search-meta]");
  var toggle = document.getElementById("__search");
  var base = new URL((root.getAttribute("data-base") || ".") + "/", document.baseURI);
  var PAGE = 10, DEBOUNCE_MS = 120;
  var pagefind = null, seq = 0, timer = 0, current = null, shown = 0;

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", base).href).then(function (pf) {
        return Promise.resolve(pf.options({ baseUrl: base.pathname })).then(function () {
          pf.init();
          return pf;
        });
      });
      pagefind.catch(function () { pagefind = null; });
    }
    return pagefind;
  }

  function say(key, count) {
    var text = meta.getAttribute("data-" + key) || "";
    meta.textContent = text.replace("#", String(count));
  }

  /* Pagefind's excerpt is text with <mark> around matches: keep exactly that, nothing else. */
  function excerpt(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    var p = document.createElement("p");
    tpl.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = node.textContent;
        p.appendChild(m);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function item(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = data.url;
    a.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var h1 = document.createElement("h1");
    h1.textContent = (data.meta && data.meta.title) || data.url;
    article.appendChild(h1);
    var facts = [data.meta && data.meta.date, data.meta && data.meta.kind].filter(Boolean);
    if (facts.length) {
      var line = document.createElement("p");
      line.className = "archive-search-facts";
      if (data.meta.date) {
        var time = document.createElement("time");
        time.textContent = data.meta.date;
        line.appendChild(time);
      }
      if (data.meta.kind) line.appendChild(document.createTextNode((data.meta.date ? " · " : "") + data.meta.kind));
      article.appendChild(line);
    }
    article.appendChild(excerpt(data.excerpt || ""));
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  function more(mine) {
    var batch = current.results.slice(shown, shown + PAGE);
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (rows) {
      if (mine !== seq) return;
      var old = list.querySelector(".archive-search-more");
      if (old) old.remove();
      rows.forEach(function (row) { list.appendChild(item(row)); });
      shown += rows.length;
      if (shown < current.results.length) {
        var li = document.createElement("li");
        li.className = "md-search-result__item archive-search-more";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-button";
        button.textContent = "More results";
        button.addEventListener("click", function () { more(seq); });
        li.appendChild(button);
        list.appendChild(li);
      }
    });
  }

  function run(query) {
    var mine = ++seq;
    if (!query.trim()) {
      list.textContent = "";
      say("placeholder", 0);
      return;
    }
    load().then(function (pf) { return pf.search(query); }).then(function (search) {
      if (mine !== seq || !search) return;
      current = search;
      shown = 0;
      list.textContent = "";
      var n = search.results.length;
      say(n === 0 ? "none" : n === 1 ? "one" : "other", n);
      return more(mine);
    }).catch(function (err) {
      meta.textContent = "Search is unavailable: " + err;
    });
  }

  function open() {
    if (toggle && !toggle.checked) toggle.checked = true;
    load();
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, DEBOUNCE_MS);
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") {
      if (toggle) toggle.checked = false;
      input.blur();
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      var first = list.querySelector("a.md-search-result__link");
      if (first) location.href = first.href;
    }
  });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  form.addEventListener("reset", function () {
    setTimeout(function () { run(""); input.focus(); }, 0);
  });
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) input.focus();
    });
  }
})();
