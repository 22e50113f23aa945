"""Layer 3, ingest: proposals of quoted facts from source documents, for a curator to accept (`kg ingest`).
Empty until document ingestion lands.

May import: the base modules, kg.store, kg.query and kg.build.
"""
