"""Layer 1, the store: where the quads live. An embedded Oxigraph store (`embedded`) or a remote SPARQL 1.1 store
(`remote`, with `virtuoso` for Virtuoso's ways), answering queries and applying updates.

May import: the base modules (kg.vocab, kg.config, kg.errors, kg.rdfconv, kg.deepstack) and kg.sparql. Knows no
SHACL and no HTTP server: whoever wants writes judged hands the store a WriteJudge (`judge`; the shape gate of
kg.build.gate is one), which the store calls inside its own write transaction.
"""
