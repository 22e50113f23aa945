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
})();
