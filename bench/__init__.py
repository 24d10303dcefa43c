"""Benchmarks of graphkit at scale: a generator of realistic graphs and a harness that times it against rdflib + pyshacl."""
