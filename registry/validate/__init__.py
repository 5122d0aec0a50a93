"""Documents and schemas: safe reading, the Capsule schema, contract metadata, JSON Schemas and WIT.

The gate calls ``read_contract`` and ``read_capsule``; the other functions check one
kind of document each and return ``Problem``s, never raise for a broken document.
"""

from registry.validate.capsule import capsule_schema, validate_capsule, validate_capsule_meta
from registry.validate.contract import COMPATIBILITY_MODES, POLICIES, validate_contract_meta
from registry.validate.documents import CapsuleDoc, ContractDoc, read_capsule, read_contract
from registry.validate.jsonschema_doc import external_refs, validate_json_schema
from registry.validate.wit import validate_wit
from registry.validate.yamlsafe import load_json, load_yaml

__all__ = [
    "COMPATIBILITY_MODES",
    "POLICIES",
    "CapsuleDoc",
    "ContractDoc",
    "capsule_schema",
    "external_refs",
    "load_json",
    "load_yaml",
    "read_capsule",
    "read_contract",
    "validate_capsule",
    "validate_capsule_meta",
    "validate_contract_meta",
    "validate_json_schema",
    "validate_wit",
]
