"""Pages for people and dereferenceable IRIs: every IRI under https://w3id.org/casd/ answers here (deref), with
an HTML page (entity) and data documents in each RDF format of the one format table (links)."""
