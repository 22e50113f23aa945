// The query page's script (served as /query-page.js, with its configuration written in by
// kg.server.pages.querypage): YASGUI on this server's SPARQL endpoint, with nothing that reaches another host.
"use strict";
(function () {
  const CONFIG = /*CONFIG*/null;
  const slot = document.getElementById("yasgui");
  if (!CONFIG || !slot || typeof Yasgui === "undefined") {
    return;
  }
  // The endpoint relative to this script's URL: the same host, and the same path prefix behind a proxy.
  const here = document.currentScript ? document.currentScript.src : document.baseURI;
  const endpoint = new URL(CONFIG.endpoint, here).href;
  const Yasqe = Yasgui.Yasqe;

  // Prefix completion from the project's prefixes instead of YASQE's bundled prefix.cc list.
  const ourPrefixes = Object.keys(CONFIG.prefixes).sort().map((name) => name + ": <" + CONFIG.prefixes[name] + ">");
  Yasqe.forkAutocompleter("prefixes", {
    name: "casd-prefixes",
    persistenceId: null,
    get: () => Promise.resolve(ourPrefixes),
  }, false);
  // YASQE registers its completers in its defaults when it loads; "property" and "class" ask
  // lov.linkeddata.es as one types. Only the local ones stay (CONFIG.autocompleters). YASGUI merges its
  // options into these defaults array by array position, so the list is replaced here rather than passed.
  Yasqe.defaults.autocompleters.splice(0, Yasqe.defaults.autocompleters.length, ...CONFIG.autocompleters);
  Yasqe.defaults.prefixCcApi = null;
  Yasqe.defaults.createShortLink = undefined;     // no link-shortening service
  Yasqe.defaults.value = CONFIG.defaultQuery;
  Yasqe.defaults.collapsePrefixesOnLoad = true;
  // No keyboard trap (WCAG 2.1.2): Tab and Shift-Tab leave the editor as they leave any field. CodeMirror's
  // Ctrl-] and Ctrl-[ (Cmd-] and Cmd-[ on a Mac) indent and Enter keeps the indentation; the page's hint
  // (#editor-keys) says so.
  Yasqe.defaults.extraKeys = Object.assign({}, Yasqe.defaults.extraKeys, { Tab: false, "Shift-Tab": false });
  // The editor grows with its query instead of scrolling inside a fixed height: a region that scrolls must be
  // reachable by keyboard (WCAG 2.1.1), and CodeMirror's scroller is not (its text field sits outside it).
  Yasqe.defaults.editorHeight = "auto";
  Yasqe.defaults.resizeable = false;
  Yasqe.defaults.viewportMargin = Infinity;

  const yasgui = new Yasgui(slot, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,                   // a new tab asks this server, whatever another tab asks
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }], keys: [] },
    // A share link (?query= or #query=) opens its query in a tab and runs it: here, never at another endpoint.
    populateFromUrl: (tab) => {
      tab.requestConfig.endpoint = endpoint;
      return tab;
    },
    persistenceId: "casd-query-page",
    autofocus: false,
    yasqe: { value: CONFIG.defaultQuery },
  });

  accessible(yasgui, slot);

  const byName = new Map(CONFIG.examples.map((example) => [example.name, example]));

  function openExample(name) {
    const example = byName.get(name);
    if (!example) {
      return;
    }
    yasgui.addTab(true, {
      name: example.title.length > 40 ? example.title.slice(0, 39) + "…" : example.title,
      yasqe: { value: example.query },
      requestConfig: { endpoint: endpoint },
    }, { avoidDuplicateTabs: true });
  }

  for (const link of document.querySelectorAll("a[data-example]")) {
    link.title = byName.has(link.dataset.example) ? byName.get(link.dataset.example).title : "";
    link.addEventListener("click", (event) => {
      event.preventDefault();
      openExample(link.dataset.example);
      slot.scrollIntoView({ block: "start" });
    });
  }
  const asked = new URLSearchParams(window.location.search);
  if (asked.has("example") && !asked.has("query")) {
    openExample(asked.get("example"));
  }

  // What YASGUI's markup lacks for assistive technology, added after it draws (and again whenever it draws more:
  // a new tab, a results table): names for its text fields, and a tab list that holds only tabs.
  function accessible(yasgui, slot) {
    const names = slot.dataset;
    const hint = document.getElementById("editor-keys");
    if (hint) {
      hint.hidden = false;                          // the keys only matter where the editor is
    }
    const label = () => {
      for (const area of slot.querySelectorAll(".CodeMirror textarea:not([aria-label])")) {
        area.setAttribute("aria-label", names.editorLabel);
        if (hint) {
          area.setAttribute("aria-describedby", hint.id);
        }
      }
      for (const input of slot.querySelectorAll("input.autocomplete:not([aria-label])")) {
        input.setAttribute("aria-label", names.endpointLabel);
      }
      for (const input of slot.querySelectorAll(".tabsList .tab input:not([aria-label])")) {
        input.setAttribute("aria-label", names.tabNameLabel);
      }
      for (const select of slot.querySelectorAll(".pageSizeWrapper select:not([aria-label])")) {
        const shown = select.parentNode.querySelector(".pageSizerLabel");   // "Page size:", not tied to it
        select.setAttribute("aria-label", shown ? shown.textContent.replace(/:\s*$/, "").trim() : "");
      }
    };
    label();
    new MutationObserver(label).observe(slot, { childList: true, subtree: true });
    // A tablist may hold only tabs: YASGUI's "+" button moves next to it, and YASGUI adds new tabs at the end of
    // the list instead of before that button (its drawTab inserts before addTabEl, or at the end when null).
    const tabs = yasgui.tabElements;
    const list = tabs && tabs._tabsListEl;
    if (list && tabs.addTabEl && tabs.addTabEl.parentNode === list) {
      const bar = document.createElement("div");
      bar.className = "casd-tabsbar";
      list.before(bar);
      bar.append(list, tabs.addTabEl);
      tabs.addTabEl = null;
    }
  }
})();
