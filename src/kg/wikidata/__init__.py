"""The link with Wikidata: a client for its API and query service, reconciliation (`kg link`), and enrichment
(`kg enrich`). Nothing here parses arguments or prints; the CLI does."""
