#!/usr/bin/env python3
"""A seeded generator of graphs shaped like Stroma's, for benchmarks (never for tests' answers).

Cells secrete factors, factors activate pathways or mediate effects, pathways mediate effects,
effects are outcomes in disease models; every relation is a truthy triple plus a statement node
(rdf:subject/predicate/object, prov:wasDerivedFrom a study, st:organism, st:diseaseModel), as in
data/. Degrees are skewed (a few hub factors and pathways, many rare ones), like the review's.
The relations are marked st:traversable as the ontology marks them, so the file traces on its
own.

    python3 bench/generate.py --triples 1000000 --seed 1 -o /var/tmp/stroma-bench/g1m.nt

Output is N-Triples (streamed, constant memory). Write it under the target dir or /var/tmp,
never into git.
"""

import argparse
import random
import sys

ST = "https://w3id.org/stroma/vocab#"
SR = "https://w3id.org/stroma/gen/"
REF = "https://w3id.org/stroma/gen/ref/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"

# (predicate, subject kind, object kind, share of the relations)
RELATIONS = [
    ("secretes", "cell", "factor", 0.25),
    ("activates", "factor", "pathway", 0.25),
    ("mediates", "factor", "effect", 0.15),
    ("mediates", "pathway", "effect", 0.25),
    ("inhibits", "factor", "pathway", 0.10),
]
CLASSES = {
    "cell": "CellType",
    "factor": "Factor",
    "pathway": "SignallingPathway",
    "effect": "TherapeuticEffect",
}
# Nodes of each kind per 1 000 relations.
PER_THOUSAND = {"cell": 2, "factor": 60, "pathway": 25, "effect": 8}
TRIPLES_PER_RELATION = 8  # the truthy triple and seven statement triples


def iri(s):
    return f"<{s}>"


def literal(text, datatype=None):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"' + (f"^^<{datatype}>" if datatype else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    relations = max(1, args.triples // TRIPLES_PER_RELATION)
    counts = {k: max(3, relations * n // 1000) for k, n in PER_THOUSAND.items()}
    studies = max(10, relations // 50)
    models = max(5, relations // 400)
    organisms = ["Mouse", "Rat", "Human", "Pig"]
    write = out.write

    for predicate, *_ in RELATIONS:
        write(f"{iri(ST + predicate)} {iri(ST + 'traversable')} {literal('true', XSD + 'boolean')} .\n")
        write(f"{iri(ST + predicate)} {iri(RDFS + 'label')} {literal(predicate)} .\n")
    for kind, cls in CLASSES.items():
        for i in range(counts[kind]):
            node = f"{SR}{kind}{i}"
            write(f"{iri(node)} {iri(RDF + 'type')} {iri(ST + cls)} .\n")
            write(f"{iri(node)} {iri(RDFS + 'label')} {literal(f'{kind} {i}')} .\n")
    for i in range(studies):
        study = f"{REF}{i}"
        write(f"{iri(study)} {iri(RDF + 'type')} {iri(ST + 'Study')} .\n")
        write(f"{iri(study)} {iri(ST + 'referenceNumber')} {literal(str(i + 1), XSD + 'integer')} .\n")
        write(f"{iri(study)} {iri(ST + 'firstAuthor')} {literal(f'Author{i} A')} .\n")
    for i in range(models):
        write(f"{iri(SR + f'model{i}')} {iri(RDF + 'type')} {iri(ST + 'DiseaseModel')} .\n")
        write(f"{iri(SR + f'model{i}')} {iri(RDFS + 'label')} {literal(f'disease model {i}')} .\n")
    for organism in organisms:
        write(f"{iri(SR + organism)} {iri(RDF + 'type')} {iri(ST + 'Organism')} .\n")

    def pick(kind):
        # Skewed: low numbers are hubs (a Pareto-like draw folded into range).
        n = counts[kind]
        return min(n - 1, int(rng.paretovariate(1.2)) - 1 + rng.randrange(n) * (rng.random() < 0.7))

    weights = [r[3] for r in RELATIONS]
    seen = set()
    made = 0
    while made < relations:
        predicate, s_kind, o_kind, _ = rng.choices(RELATIONS, weights)[0]
        s, o = pick(s_kind), pick(o_kind)
        if (predicate, s_kind, s, o_kind, o) in seen:
            continue
        seen.add((predicate, s_kind, s, o_kind, o))
        subject, obj = f"{SR}{s_kind}{s}", f"{SR}{o_kind}{o}"
        statement = f"{SR}stmt{made}"
        write(f"{iri(subject)} {iri(ST + predicate)} {iri(obj)} .\n")
        write(f"{iri(statement)} {iri(RDF + 'type')} {iri(ST + 'Statement')} .\n")
        write(f"{iri(statement)} {iri(RDF + 'subject')} {iri(subject)} .\n")
        write(f"{iri(statement)} {iri(RDF + 'predicate')} {iri(ST + predicate)} .\n")
        write(f"{iri(statement)} {iri(RDF + 'object')} {iri(obj)} .\n")
        write(f"{iri(statement)} {iri(PROV + 'wasDerivedFrom')} {iri(REF + str(rng.randrange(studies)))} .\n")
        write(f"{iri(statement)} {iri(ST + 'organism')} {iri(SR + rng.choice(organisms))} .\n")
        write(f"{iri(statement)} {iri(ST + 'diseaseModel')} {iri(SR + f'model{rng.randrange(models)}')} .\n")
        made += 1
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
