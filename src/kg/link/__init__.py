"""Layer 3, link: the link with Wikidata. A client for its API and query service (`client`), reconciliation
(`kg link`: `linking` decides, from what `targets` reads of our graph, the items `candidates` finds and `names`
compares, and the `checks`; its results are in `outcomes`), enrichment (`kg enrich`: `enrich`, `entity`) and the
files they write (`records`).

May import: the base modules, kg.store, kg.query and kg.build. Nothing here parses arguments or prints.
"""
