"""FHIR R4 (4.0.1) and SDC 3.0 mappings of the engine's inputs and results.

Every module here is a pure mapping between plain JSON-shaped dicts and the engine; only
`routes` does HTTP. Resources are emitted as R4 JSON, never R5 (see interop research notes).
"""
