"""Layer 3, link: the link with Wikidata. A client for its API and query service (`client`), reconciliation
(`kg link`: `linking`, `names`), enrichment (`kg enrich`: `enrich`, `entity`) and the files they write (`records`).

May import: the base modules, kg.store, kg.query and kg.build. Nothing here parses arguments or prints.
"""
