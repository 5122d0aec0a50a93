"""A contract's or a capsule's directory read as one document, with every problem it has.

The gate hands over a directory's files as bytes and gets back either a typed
document or the list of problems, each attributed to its store file. Nothing here
touches git or the disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from registry.errors import InvalidName, ValidationFailed
from registry.model import ContractVersion, Limits, capsule_name, contract_name
from registry.model import tenant as check_tenant
from registry.paths import (
    CAPSULE_DOC,
    CAPSULE_META,
    CONTRACT_META,
    EXAMPLES,
    SCHEMA,
    capsule_dir,
    contract_dir,
    example_of,
    in_dir,
)
from registry.problems import Code, Problem
from registry.validate.capsule import validate_capsule, validate_capsule_meta
from registry.validate.contract import validate_contract_meta
from registry.validate.dialects import in_dialect
from registry.validate.fields import one_line
from registry.validate.jsonschema_doc import validate_json_schema
from registry.validate.wit import validate_wit
from registry.validate.yamlsafe import load_json, load_yaml

#: Bounds the example instances read: ``contracts/<name>/examples/*.json``, and the schema's own.
MAX_EXAMPLES = 100


@dataclass(frozen=True)
class ContractDoc:
    """One contract as its directory holds it; ``schema_text`` is the schema file as written,
    ``schema`` the schema as read: in the store's default dialect when it names no ``$schema``."""

    name: str
    version: ContractVersion
    description: str | None
    compatibility: str | None
    policy: str | None
    deprecated: bool
    sunset: str | None
    wit: str | None
    descriptor: str | None
    schema: Any
    schema_text: str
    wit_text: str | None
    descriptor_text: str | None
    metadata: dict[str, Any] | None = None
    rules: dict[str, Any] | None = None
    #: ``(where, instance)``: ``examples/a.json``, or ``schema.json#/examples/0`` for the schema's own.
    examples: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class CapsuleDoc:
    """One capsule: its parsed Capsule document, its ``meta.yaml`` (empty when absent) and its text."""

    tenant: str
    name: str
    document: dict[str, Any]
    meta: dict[str, Any]
    text: str


class _Report:
    """Problems gathered for one directory, each attributed to a file under ``base``."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.problems: list[Problem] = []

    def add(self, file: str, problems: list[Problem]) -> None:
        self.problems += [p.at(in_dir(self.base, file) if file else self.base) for p in problems]

    def one(self, file: str, code: Code, message: str, path: str = "$") -> None:
        self.add(file, [Problem(code, message, path)])

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def load(
        self, file: str, data: bytes, *, limits: Limits, json: bool = False, max_bytes: int | None = None
    ) -> Any:
        try:
            if json:
                return load_json(data, limits=limits, max_bytes=max_bytes)
            return load_yaml(data, limits=limits)
        except ValidationFailed as exc:
            self.add(file, list(exc.problems))
            return _MISSING

    def text(self, file: str, data: bytes, *, limit: int) -> str | None:
        if len(data) > limit:
            self.one(
                file, Code.FILE_TOO_LARGE, f"{file} is {len(data)} bytes, more than the limit of {limit}"
            )
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.one(file, Code.FILE_ENCODING, f"{file} is not UTF-8 (byte {exc.start}): save it as UTF-8")
            return None

    def unexpected(self, files: Mapping[str, bytes], expected: set[str], hint: str) -> None:
        for file in sorted(set(files) - expected):
            self.one(file, Code.FILE_UNEXPECTED, f"{file} is not part of this directory's layout; {hint}")


_MISSING: Any = object()


def _name_problem(check: Any, value: str) -> str | None:
    try:
        check(value)
    except InvalidName as exc:
        return one_line(exc)
    return None


def read_contract(
    name: str, files: Mapping[str, bytes], *, limits: Limits, default_dialect: str
) -> tuple[ContractDoc | None, list[Problem]]:
    """Read ``contracts/<name>/``: ``contract.yaml``, ``schema.json`` and the files it names.

    ``files`` maps names relative to the directory to their bytes. A schema without
    ``$schema`` is read, validated and compared in ``default_dialect`` (the store's,
    ``registry.validate.dialects``). The document is None whenever any error was found;
    warnings come back with a document.
    """
    report = _Report(contract_dir(name))
    if message := _name_problem(contract_name, name):
        report.one("", Code.NAME_INVALID, message)
    for required in (CONTRACT_META, SCHEMA):
        if required not in files:
            report.one(required, Code.FILE_MISSING, f"{required} is missing; every contract needs one")

    meta = _contract_meta(report, name, files, limits)
    schema, schema_text = _contract_schema(report, files, limits, default_dialect)

    refused = {p.path for p in report.problems if p.file == in_dir(report.base, CONTRACT_META)}
    wit_file = _file_field(meta, "wit", refused)
    descriptor_file = _file_field(meta, "descriptor", refused)
    wit_text = _named_file(report, files, wit_file, "wit", limits)
    if wit_text is not None and wit_file is not None:
        report.add(wit_file, validate_wit({wit_file: wit_text}))
    descriptor_text = _named_file(report, files, descriptor_file, "descriptor", limits)
    if descriptor_text is not None and descriptor_file is not None:
        report.load(descriptor_file, files[descriptor_file], limits=limits, json=True)

    examples = _examples(report, files, schema, limits)
    expected = {CONTRACT_META, SCHEMA} | {f for f in (wit_file, descriptor_file) if f}
    expected |= {f for f in files if _is_example(f)}
    report.unexpected(
        files,
        expected,
        "name it in contract.yaml (wit:, descriptor:), move an example to examples/*.json, or remove it",
    )

    if report.failed or schema_text is None:
        return None, report.problems
    sunset = meta.get("sunset")
    doc = ContractDoc(
        name=name,
        version=ContractVersion.parse(meta["version"]),
        description=meta.get("description"),
        compatibility=meta.get("compatibility"),
        policy=meta.get("policy"),
        deprecated=bool(meta.get("deprecated", False)),
        sunset=sunset if sunset is None or isinstance(sunset, str) else sunset.isoformat(),
        wit=wit_file,
        descriptor=descriptor_file,
        schema=schema,
        schema_text=schema_text,
        wit_text=wit_text,
        descriptor_text=descriptor_text,
        metadata=meta.get("metadata"),
        rules=meta.get("rules"),
        examples=examples,
    )
    return doc, report.problems


def _is_example(file: str) -> bool:
    example = example_of(file)
    return example is not None and example.endswith(".json") and not example.startswith(".")


def _examples(
    report: _Report, files: Mapping[str, bytes], schema: Any, limits: Limits
) -> tuple[tuple[str, Any], ...]:
    """The example instances: ``examples/*.json`` in name order, then the schema's own ``examples``."""
    found: list[tuple[str, Any]] = []
    names = sorted(f for f in files if _is_example(f))
    for file in names[:MAX_EXAMPLES]:
        instance = report.load(file, files[file], limits=limits, json=True)
        if instance is not _MISSING:
            found.append((file, instance))
    if len(names) > MAX_EXAMPLES:
        report.one(
            EXAMPLES,
            Code.LAYOUT_SIZE,
            f"{len(names)} example files, more than {MAX_EXAMPLES}; keep fewer",
        )
    own = schema.get("examples") if isinstance(schema, dict) else None
    if isinstance(own, list):
        found += [(f"{SCHEMA}#/examples/{i}", item) for i, item in enumerate(own[:MAX_EXAMPLES])]
    return tuple(found)


def _contract_meta(report: _Report, name: str, files: Mapping[str, bytes], limits: Limits) -> dict[str, Any]:
    """``contract.yaml`` checked field by field and against its directory's name."""
    meta: Any = _MISSING
    if CONTRACT_META in files:
        meta = report.load(CONTRACT_META, files[CONTRACT_META], limits=limits)
        if meta is not _MISSING:
            report.add(CONTRACT_META, validate_contract_meta(meta))
    meta = meta if isinstance(meta, dict) else {}
    if isinstance(meta.get("name"), str) and meta["name"] != name:
        report.one(
            CONTRACT_META,
            Code.NAME_MISMATCH,
            f"name {meta['name']!r} differs from the directory name {name!r}; they must be equal",
            "$.name",
        )
    return meta


def _contract_schema(
    report: _Report, files: Mapping[str, bytes], limits: Limits, default_dialect: str
) -> tuple[Any, str | None]:
    """``schema.json`` parsed, read in its dialect and checked as a schema, with its text as written."""
    schema: Any = _MISSING
    schema_text: str | None = None
    if SCHEMA in files:
        schema_text = report.text(SCHEMA, files[SCHEMA], limit=limits.max_schema_bytes)
        if schema_text is not None:
            schema = report.load(
                SCHEMA, files[SCHEMA], limits=limits, json=True, max_bytes=limits.max_schema_bytes
            )
        if schema is not _MISSING:
            schema = in_dialect(schema, default_dialect)
            report.add(SCHEMA, validate_json_schema(schema))
    return schema, schema_text


def _file_field(meta: dict[str, Any], field: str, refused: set[str]) -> str | None:
    """The file a field names, unless contract.yaml's own check refused the name."""
    value = meta.get(field)
    return value if isinstance(value, str) and f"$.{field}" not in refused else None


def _named_file(
    report: _Report, files: Mapping[str, bytes], file: str | None, field: str, limits: Limits
) -> str | None:
    if file is None:
        return None
    if file not in files:
        report.one(
            CONTRACT_META,
            Code.FILE_MISSING,
            f"contract.yaml names {field} file {file!r}, which is not in the directory; "
            f"add it or drop '{field}:'",
            f"$.{field}",
        )
        return None
    return report.text(file, files[file], limit=limits.max_file_bytes)


def read_capsule(
    tenant: str, name: str, files: Mapping[str, bytes], *, limits: Limits
) -> tuple[CapsuleDoc | None, list[Problem]]:
    """Read ``capsules/<tenant>/<name>/``: ``capsule.yaml`` and the optional ``meta.yaml``.

    The document is None whenever any error was found; warnings come back with a document.
    """
    report = _Report(capsule_dir(tenant, name))
    for check, value in ((check_tenant, tenant), (capsule_name, name)):
        if message := _name_problem(check, value):
            report.one("", Code.NAME_INVALID, message)

    document: Any = _MISSING
    text: str | None = None
    if CAPSULE_DOC not in files:
        report.one(CAPSULE_DOC, Code.FILE_MISSING, f"{CAPSULE_DOC} is missing; every capsule needs one")
    else:
        text = report.text(CAPSULE_DOC, files[CAPSULE_DOC], limit=limits.max_file_bytes)
        if text is not None:
            document = report.load(CAPSULE_DOC, files[CAPSULE_DOC], limits=limits)
        if document is not _MISSING:
            report.add(CAPSULE_DOC, validate_capsule(document))
    if isinstance(document, dict):
        metadata = document.get("metadata")
        declared = metadata.get("name") if isinstance(metadata, dict) else None
        if isinstance(declared, str) and declared != name:
            report.one(
                CAPSULE_DOC,
                Code.NAME_MISMATCH,
                f"metadata.name {declared!r} differs from the directory name {name!r}; they must be equal",
                "$.metadata.name",
            )

    meta: Any = {}
    if CAPSULE_META in files:
        meta = report.load(CAPSULE_META, files[CAPSULE_META], limits=limits)
        if meta is None:  # an empty meta.yaml says nothing
            meta = {}
        if meta is not _MISSING:
            report.add(CAPSULE_META, validate_capsule_meta(meta))

    report.unexpected(
        files, {CAPSULE_DOC, CAPSULE_META}, "a capsule directory holds capsule.yaml and meta.yaml only"
    )
    if report.failed or text is None or not isinstance(document, dict) or not isinstance(meta, dict):
        return None, report.problems
    return CapsuleDoc(tenant, name, document, meta, text), report.problems
