"""Validate a KGX TSV export (DIR/nodes.tsv, DIR/edges.tsv) with kgx's own Validator, offline.

Usage:
    $STROMA_KGX_VENV/bin/python tests/kgx/validate.py [--allow-prefix PREFIX]... DIR

STROMA_KGX_VENV is the venv scripts/test makes (default /var/tmp/stroma-kgx-venv) from
tests/kgx/requirements.txt. The run is what `kgx validate -i tsv DIR/nodes.tsv DIR/edges.tsv`
does (kgx's Transformer streams both files through kgx's Validator), with two differences:

- the Biolink model is the copy shipped in the PyPI package `biolink-model` (version printed on
  the first line), not a download; any attempt to use the network makes the run fail (see
  bundled_biolink.py);
- every occurrence of a problem is printed (kgx's own report keeps one entity per message), and
  the problems kgx's TSV reader reports (e.g. a node without `name`) are counted too, where
  `kgx validate` only reports the Validator's.

--allow-prefix PREFIX adds PREFIX to the CURIE prefixes accepted in node ids and edge subjects
and objects (kgx takes them from the Biolink JSON-LD context, which has none for a local
namespace such as Stroma's); the summary line names the prefixes so allowed. Without it, the
check is kgx's, unchanged.

Output (stdout): one line per ERROR, `ERROR <TYPE> <entity>: <message>`, then one line per
distinct WARNING or INFO message with its count, then a summary line
`kgx: N errors, M warnings, K info (N nodes, E edges; Biolink X, kgx Y)`.

Exit status: 0 when kgx reports no ERROR-level problem (warnings allowed), 1 when it reports
at least one, 2 when the export cannot be read (missing file, unreadable TSV, kgx crash).
"""

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bundled_biolink  # noqa: E402



def record_into(found, log_error):
    """Wrap an ErrorDetecting.log_error so that every occurrence is kept, in order."""

    def log(entity, error_type, message, message_level=None):
        from kgx.error_detection import MessageLevel

        level = message_level or MessageLevel.ERROR
        found.append((level.name, error_type.name, str(entity).strip(), message))
        return log_error(entity, error_type, message, message_level=level)

    return log


def validate(directory: Path, allow_prefixes=()):
    """Run kgx's Validator over DIR's two files; return (problems, nodes, edges, versions)."""
    files = [directory / "nodes.tsv", directory / "edges.tsv"]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise FileNotFoundError(f"missing {', '.join(missing)}")

    biolink = bundled_biolink.offline_kgx()

    import logging

    import kgx
    from kgx.graph.base_graph import BaseGraph  # noqa: F401  (kgx's import order)
    from kgx.transformer import Transformer
    from kgx.utils.kgx_utils import GraphEntityType
    from kgx.validator import Validator

    # kgx logs "Skipping validation for property ..." for every non-string property: noise.
    logging.getLogger("KGX").setLevel(logging.ERROR)

    counts = Counter()

    def count(entity_type, record):
        counts[entity_type] += 1

    Validator.set_biolink_model(None)  # the default Toolkit, i.e. the bundled model
    validator = Validator(progress_monitor=count)
    validator.prefixes.update(allow_prefixes)
    transformer = Transformer(stream=True)
    found = []
    validator.log_error = record_into(found, validator.log_error)
    transformer.log_error = record_into(found, transformer.log_error)
    transformer.transform(
        input_args={"filename": [str(f) for f in files], "format": "tsv", "compression": None},
        output_args={"format": "null"},
        inspector=validator,
    )
    versions = (biolink, getattr(kgx, "__version__", None) or package_version("kgx"))
    return found, counts[GraphEntityType.NODE], counts[GraphEntityType.EDGE], versions


def package_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def main(argv) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="validate.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("dir", type=Path, help="directory holding nodes.tsv and edges.tsv")
    parser.add_argument(
        "--allow-prefix",
        action="append",
        default=[],
        metavar="PREFIX",
        help="also accept this CURIE prefix in node ids, subjects and objects (repeatable)",
    )
    args = parser.parse_args(argv[1:])
    directory = args.dir
    try:
        found, nodes, edges, (biolink, kgx_version) = validate(directory, args.allow_prefix)
    except Exception as error:  # the export could not be read at all
        print(f"kgx: cannot validate {directory}: {type(error).__name__}: {error}", file=sys.stderr)
        return 2

    print(f"kgx {kgx_version}, Biolink model {biolink} (bundled): {directory}")
    errors = [f for f in found if f[0] == "ERROR"]
    for _, kind, entity, message in errors:
        print(f"ERROR {kind} {entity}: {message}")
    others = Counter((level, kind, message) for level, kind, _, message in found if level != "ERROR")
    for (level, kind, message), n in sorted(others.items()):
        print(f"{level} {kind} x{n}: {message}")
    warnings = sum(n for (level, _, _), n in others.items() if level == "WARNING")
    info = sum(n for (level, _, _), n in others.items() if level == "INFO")
    allowed = f"; allowed extra prefixes: {', '.join(args.allow_prefix)}" if args.allow_prefix else ""
    print(
        f"kgx: {len(errors)} errors, {warnings} warnings, {info} info "
        f"({nodes} nodes, {edges} edges; Biolink {biolink}, kgx {kgx_version}{allowed})"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
