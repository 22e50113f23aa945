"""Layer 3, build: read the ontology and data (`loading`), check every quote against its source (`provenance`),
reason with HermiT (`reasoning`), validate with pySHACL (`shapes`, `checkfiles`, `locate`), describe the dataset
(`describe`), write it (`pipeline`), and the shape gate that judges writes to a store (`gate`).

May import: the base modules, kg.store and kg.query. Needs no web server.
"""
