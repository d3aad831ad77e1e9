"""Layer 5, bytes in: one URL downloaded safely over HTTP, local files, RSS/Atom/RDF feeds and OPML
subscription lists, each turned into plain values for the stages above."""
