"""Print the Biolink terms a KGX export may use, from the model bundled in `biolink-model`.

Usage:
    $STROMA_KGX_VENV/bin/python tests/kgx/biolink_terms.py [classes|predicates|prefixes|enums|all]

Offline: reads only the Biolink model YAML shipped in the PyPI package (see bundled_biolink.py).
Output is tab separated, one term a line, first column the kind, no header:

    class       <snake_case>   <CURIE>        <flags>   e.g. class  cell  biolink:Cell
    predicate   <snake_case>   <CURIE>        <flags>   e.g. predicate  expressed_in  biolink:expressed_in
    prefix      <prefix>       <IRI base>               the CURIE prefixes kgx accepts in ids
    enum        <enum name>    <value>                  knowledge_level and agent_type values
    version     <Biolink model version>                 first line of every listing

classes: the classes kgx's Validator accepts as a node `category` (descendants of named thing,
not mixins). predicates: the slots that are Biolink predicates (related to and its descendants,
not mixins); kgx itself accepts any Biolink element name as a predicate, so check a mapping
against this list, which is stricter. flags (comma separated, may be empty): `deprecated`,
`abstract`, for predicates `canonical` when Translator marks it as the canonical direction, and
for classes `kgx-rejects` when kgx 2.6.0 reports the category as "not in CamelCase form" all
the same (biolink:MicroRNA, biolink:RNAProduct, ...: kgx's pattern wants no two capitals in a
row), so an export that uses one fails validation.
Default: all.
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bundled_biolink  # noqa: E402
from bmt.utils import format_element  # noqa: E402

# kgx 2.6.0's Validator.validate_categories requires the category's local name to match this,
# so biolink:MicroRNA, biolink:RNAProduct, biolink:SiRNA... are ERRORs there.
KGX_CAMELCASE = re.compile(r"^([A-Z][a-z\d]+)+$")
KINDS = ("classes", "predicates", "prefixes", "enums", "all")
ENUMS = ("KnowledgeLevelEnum", "AgentTypeEnum")


def snake(name: str) -> str:
    return name.replace(" ", "_").replace(",", "")


def flags(element, *extra) -> str:
    found = [name for name in ("deprecated", "abstract") if getattr(element, name, None)]
    return ",".join(found + [e for e in extra if e])


def classes(tk):
    for name in sorted(tk.get_all_classes()):
        if not tk.is_category(name) or tk.is_mixin(name):
            continue
        element = tk.get_element(name)
        curie = format_element(element)
        rejected = "" if KGX_CAMELCASE.match(curie.split(":", 1)[1]) else "kgx-rejects"
        yield "class", snake(name), curie, flags(element, rejected)


def predicates(tk):
    for name in sorted(tk.get_descendants("related to", reflexive=True, mixin=False)):
        element = tk.get_element(name)
        if element is None or not tk.is_predicate(name) or tk.is_mixin(name):
            continue
        canonical = "canonical" if tk.is_translator_canonical_predicate(name) else ""
        yield "predicate", snake(name), format_element(element), flags(element, canonical)


def main(argv) -> int:
    kind = argv[1] if len(argv) > 1 else "all"
    if len(argv) > 2 or kind not in KINDS:
        print(f"usage: biolink_terms.py [{'|'.join(KINDS)}]", file=sys.stderr)
        return 2
    tk = bundled_biolink.toolkit()
    rows = [("version", tk.get_model_version())]
    if kind in ("classes", "all"):
        rows += classes(tk)
    if kind in ("predicates", "all"):
        rows += predicates(tk)
    if kind in ("prefixes", "all"):
        context = bundled_biolink.jsonld_context()
        for prefix in bundled_biolink.prefixes():
            value = context.get(prefix, "https://w3id.org/biolink/vocab/")
            rows.append(("prefix", prefix, value if isinstance(value, str) else value["@id"]))
    if kind in ("enums", "all"):
        for enum in ENUMS:
            for value in tk.view.get_enum(enum).permissible_values:
                rows.append(("enum", enum, value))
    for row in rows:
        print("\t".join(row))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
