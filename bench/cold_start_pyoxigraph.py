"""Peer for bench/cold-start.sh: pyoxigraph loads the same Turtle files into memory and runs the
same named query, as one process start, like `stroma query` does."""
import glob, sys
from pyoxigraph import RdfFormat, Store

store = Store()
for path in sorted(glob.glob("ontology/*.ttl") + glob.glob("data/*.ttl")):
    if not path.endswith("shapes.ttl"):
        store.bulk_load(path=path, format=RdfFormat.TURTLE)
prefixes = "".join(f"PREFIX {p}: <{i}>\n" for p, i in [
    ("st", "https://w3id.org/stroma/vocab#"), ("sr", "https://w3id.org/stroma/id/"),
    ("ref", "https://w3id.org/stroma/ref/"), ("stmt", "https://w3id.org/stroma/statement/"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"), ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"), ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"), ("prov", "http://www.w3.org/ns/prov#"),
    ("dcterms", "http://purl.org/dc/terms/"), ("bibo", "http://purl.org/ontology/bibo/")])
rows = list(store.query(prefixes + open(sys.argv[1]).read()))
print(len(rows))
