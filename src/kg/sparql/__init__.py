"""Layer 1, SPARQL text: read a query or update as the engine's grammar does, without running it. The tokeniser
(`lexer`), the nesting limit checked before any parse (`nesting`), and parser messages a person can act on
(`parse_errors`). Pure functions of the text: no store, no network.

May import: the base modules (kg.vocab, kg.config, kg.errors, kg.rdfconv, kg.deepstack).
"""
