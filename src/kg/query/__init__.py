"""Layer 2, query: result formats and content negotiation, the SPARQL tokeniser, the guard on SERVICE and LOAD,
the nesting limit, readable parser messages, the executors that run a query within its time, the answer cache,
result writers, and the shipped example queries.

May import: the base modules and kg.store. Not the build, the server or the CLI.
"""
