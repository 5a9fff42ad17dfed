"""The Biolink model shipped in the PyPI package `biolink-model`, for kgx and bmt, offline.

Stock kgx fetches the Biolink model YAML (through bmt's `Toolkit()`) and a Biolink JSON-LD
context from GitHub, the first one already when `kgx.utils.kgx_utils` is imported. This module
points both at the copy of the model inside the installed `biolink-model` package:

- bmt's `Toolkit` defaults: the schema is site-packages/biolink_model/schema/biolink_model.yaml,
  and the predicate map (a GitHub file that no PyPI package ships, and that kgx's validator does
  not read) is empty;
- kgx's JSON-LD context (its list of valid CURIE prefixes) is generated from that same YAML with
  linkml's ContextGenerator, the generator that makes Biolink's published context.jsonld; the
  other two contexts kgx knows come from the copies in the `prefixcommons` package.

`offline_kgx()` also makes any attempt to open a network connection raise, so that a run that
would need the network fails loudly instead of depending on it. Call it before importing kgx.
"""

import json
import socket
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

EMPTY_PREDICATE_MAP = {"predicate mappings": []}


class NetworkUsed(RuntimeError):
    """Raised when something tries to open a network connection while the guard is on."""


def schema_path() -> Path:
    """The Biolink model YAML inside the installed `biolink-model` package."""
    path = Path(str(files("biolink_model") / "schema" / "biolink_model.yaml"))
    if not path.is_file():
        raise FileNotFoundError(f"no Biolink model YAML at {path}: is biolink-model installed?")
    return path


def forbid_network() -> None:
    """Make every outgoing connection (IPv4, IPv6, DNS lookups) raise NetworkUsed."""

    def refuse(*args, **kwargs):
        raise NetworkUsed(f"network access attempted during offline KGX validation: {args[:2]}")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse


@lru_cache(maxsize=1)
def jsonld_context() -> dict:
    """The Biolink JSON-LD context's body ("@context"), generated from the bundled YAML."""
    import logging

    from linkml.generators.jsonldcontextgen import ContextGenerator

    # The generator logs schema lint (a duplicate tree_root, an unknown prefix) that says
    # nothing about the graph being validated.
    logging.disable(logging.WARNING)
    try:
        return json.loads(ContextGenerator(str(schema_path())).serialize())["@context"]
    finally:
        logging.disable(logging.NOTSET)


def prefixes() -> list:
    """The CURIE prefixes kgx's Validator accepts (same rule as Validator.get_all_prefixes)."""
    ctx = jsonld_context()
    names = {
        k
        for k, v in ctx.items()
        if not k.startswith("@")
        and (isinstance(v, str) or (isinstance(v, dict) and v.get("@prefix", False)))
    }
    names.add("biolink")
    return sorted(names)


def toolkit():
    """A bmt Toolkit over the bundled model."""
    from bmt import Toolkit

    return Toolkit(schema=str(schema_path()), predicate_map=EMPTY_PREDICATE_MAP)


def offline_kgx() -> str:
    """Point kgx and bmt at the bundled model, forbid network use; return the model version.

    Must run before `kgx` is imported (kgx builds a Toolkit at import time).
    """
    import sys

    if any(name == "kgx" or name.startswith("kgx.") for name in sys.modules):
        raise RuntimeError("offline_kgx() must run before kgx is imported")
    # Generate the context before the guard: linkml may import modules lazily, never fetching.
    context = jsonld_context()
    forbid_network()

    import bmt.toolkit

    init = bmt.toolkit.Toolkit.__init__
    # Toolkit.__init__(self, schema=REMOTE_PATH, predicate_map=PREDICATE_MAP, *, timeout=...)
    init.__defaults__ = (str(schema_path()), EMPTY_PREDICATE_MAP)

    import kgx.config

    config = kgx.config.get_config()
    kgx.config.jsonld_context_map["biolink"] = context
    registry = Path(str(files("prefixcommons") / "registry"))
    for name in ("monarch_context", "obo_context"):
        with open(registry / f"{name}.jsonld", encoding="utf-8") as stream:
            kgx.config.jsonld_context_map[name] = json.load(stream)["@context"]
        config["jsonld-context"][name] = str(registry / f"{name}.jsonld")

    import kgx.utils.kgx_utils

    version = kgx.utils.kgx_utils.get_toolkit().get_model_version()

    def bundled_only(biolink_release=None):
        if biolink_release and biolink_release.lstrip("v") != version:
            raise ValueError(
                f"Biolink release {biolink_release} requested; only the bundled {version} is "
                "available offline"
            )
        return str(schema_path()) if biolink_release else None

    kgx.config.get_biolink_model_schema = bundled_only
    kgx.utils.kgx_utils.get_biolink_model_schema = bundled_only
    return version
