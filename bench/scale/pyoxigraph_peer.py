"""pyoxigraph peer for bench/scale.sh: the same load and the same SPARQL queries as `stroma load`
and `stroma query --format csv`, each as one fresh Python process (bench/scale.sh times the
whole process with GNU time, so interpreter start and imports count, as a CLI's start does).

    python bench/scale/pyoxigraph_peer.py load FILE.nt STORE_DIR     # bulk load into a new store
    python bench/scale/pyoxigraph_peer.py query STORE_DIR QUERY.rq   # SPARQL results CSV on stdout

Needs pyoxigraph >= 0.4 (RdfFormat, QueryResultsFormat, Store.read_only); written against 0.5.
"""

import sys

from pyoxigraph import QueryResultsFormat, RdfFormat, Store


def load(file, directory):
    # bulk_load is pyoxigraph's fastest persistent load: it parses on several threads and writes
    # RocksDB SST files directly, without transactions (the same loader `stroma load` calls).
    store = Store(directory)
    store.bulk_load(path=file, format=RdfFormat.N_TRIPLES)
    store.flush()  # everything on disk before the process ends, as a finished `stroma load`


def query(directory, query_file):
    # Read-only, as `stroma query --store` only reads; fall back to read-write on old versions.
    open_store = getattr(Store, "read_only", Store)
    store = open_store(directory)
    with open(query_file, encoding="utf-8") as f:
        results = store.query(f.read())
    results.serialize(sys.stdout.buffer, QueryResultsFormat.CSV)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("load", "query"):
        sys.exit(__doc__)
    {"load": load, "query": query}[sys.argv[1]](sys.argv[2], sys.argv[3])
