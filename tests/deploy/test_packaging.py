"""The image and the manifests, checked statically: Kubernetes' own schemas (offline), the
Dockerfile as Docker parses it, and agreement with the code — every ``registry`` command
they run parses with the real command line, every environment name they set is one the
code reads, and images, ports and paths match across the Dockerfile, compose and k8s."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from dockerfile_parse import DockerfileParser

from registry.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "deploy" / "compose.yaml"
K8S = sorted((ROOT / "deploy" / "k8s").glob("*.yaml"))
KUBERNETES_VERSION = "1.30"
SOURCE = "\n".join(p.read_text() for p in (ROOT / "registry").rglob("*.py"))

IMAGE = "registry:latest"
PORT = 8080
DATA = "/var/lib/registry"
STORE = f"{DATA}/store.git"
KEY_DIR = "/run/secrets/registry"

# The replica options and settings come with `registry serve --mirror` (issue 19, item 2).
# Until that option exists these may be missing from the code; once it exists, every one
# must be there like any other name.


def k8s_docs() -> list[dict[str, Any]]:
    return [doc for path in K8S for doc in yaml.safe_load_all(path.read_text()) if doc]


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def serve_parser() -> argparse.ArgumentParser:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices["serve"]


def containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spec = doc.get("spec", {}).get("template", {}).get("spec", {})
    return spec.get("initContainers", []) + spec.get("containers", [])


def registry_commands() -> Iterator[tuple[str, list[str]]]:
    """Every ``registry …`` command line the Dockerfile, compose and k8s run, by where."""
    lines: list[tuple[str, list[str]]] = []
    cmd = DockerfileParser(path=str(DOCKERFILE)).structure
    lines += [("Dockerfile CMD", json.loads(i["value"])) for i in cmd if i["instruction"] == "CMD"]
    for name, service in compose()["services"].items():
        if "command" in service:
            lines.append((f"compose {name}", service["command"]))
    for doc in k8s_docs():
        for c in containers(doc):
            lines.append((f"{doc['metadata']['name']}/{c['name']}", c.get("command", []) + c.get("args", [])))
    for where, argv in lines:
        if argv[:2] == ["sh", "-c"]:  # a shell line: each registry command in it
            for part in re.split(r"\|\||&&|;", argv[2]):
                words = shlex.split(part)
                if words and words[0] == "registry":
                    yield where, words
        elif argv and argv[0] == "registry":
            yield where, argv


def parse(argv: list[str]) -> argparse.Namespace:
    """``argv`` (after ``registry``) as the real command line reads it, or the error it prints."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            return build_parser().parse_args(argv)
        except SystemExit:
            pass
    raise AssertionError(f"registry {shlex.join(argv)}: {err.getvalue().strip()}")


# -- Kubernetes' schemas ---------------------------------------------------------------------


@pytest.mark.parametrize("doc", k8s_docs(), ids=lambda d: f"{d['kind']}/{d['metadata']['name']}")
def test_every_manifest_is_valid_for_kubernetes(doc: dict[str, Any]) -> None:
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_the_schema_check_can_fail() -> None:
    doc = next(d for d in k8s_docs() if d["kind"] == "Deployment")
    broken = json.loads(json.dumps(doc))
    broken["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_k8s_has_every_part_the_deployment_needs() -> None:
    kinds = {(d["kind"], d["metadata"]["name"]) for d in k8s_docs()}
    assert {
        ("StatefulSet", "registry-primary"),
        ("Deployment", "registry-replica"),
        ("HorizontalPodAutoscaler", "registry-replica"),
        ("PodDisruptionBudget", "registry-replica"),
        ("Service", "registry-primary"),
        ("Service", "registry-replica"),
        ("Secret", "registry-jwt"),
        ("Secret", "registry-signing-key"),
    } <= kinds
    primary = next(d for d in k8s_docs() if d["kind"] == "StatefulSet")
    assert primary["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "store"
    for doc in k8s_docs():
        for c in doc.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
            assert c["livenessProbe"]["httpGet"]["path"] == "/livez"
            assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"
            assert c["resources"]["requests"] and c["resources"]["limits"]


def test_only_the_primary_mounts_the_registry_key() -> None:
    for doc in k8s_docs():
        volumes = doc.get("spec", {}).get("template", {}).get("spec", {}).get("volumes", [])
        secrets = {v["secret"]["secretName"] for v in volumes if "secret" in v}
        assert ("registry-signing-key" in secrets) == (doc["kind"] == "StatefulSet"), doc["metadata"]["name"]


# -- the Dockerfile --------------------------------------------------------------------------


def test_the_dockerfile_builds_a_slim_non_root_image_serving_the_store() -> None:
    parser = DockerfileParser(path=str(DOCKERFILE))
    steps = [(i["instruction"], i["value"]) for i in parser.structure]
    assert re.fullmatch(r"python:3\.1[1-9]-slim", parser.baseimage)
    runs = " ".join(v for k, v in steps if k == "RUN")
    assert "apt-get install" in runs and re.search(r"\bgit\b", runs)
    assert "pip install" in runs
    users = [v for k, v in steps if k == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert json.loads(next(v for k, v in steps if k == "VOLUME")) == [DATA]
    assert parser.envs["REGISTRY_STORE"] == STORE
    assert parser.envs["REGISTRY_SIGNING_KEY"].startswith(KEY_DIR + "/")
    assert [v for k, v in steps if k == "EXPOSE"] == [str(PORT)]
    health = next(v for k, v in steps if k == "HEALTHCHECK")
    assert f"http://127.0.0.1:{PORT}/livez" in health
    assert json.loads(next(v for k, v in steps if k == "CMD"))[:2] == ["registry", "serve"]


# -- agreement with the code -----------------------------------------------------------------


@pytest.mark.parametrize("where_argv", list(registry_commands()), ids=lambda w: w[0])
def test_every_registry_command_parses_with_the_real_command_line(where_argv: tuple[str, list[str]]) -> None:
    _where, argv = where_argv
    argv = argv[1:]
    args = parse(argv)
    if args.command == "serve":
        assert args.host == "0.0.0.0" and args.port == PORT  # listens where the probes look


def test_replicas_use_the_mirror_flags() -> None:
    replicas = [argv for where, argv in registry_commands() if "--mirror" in argv]
    assert len(replicas) == 3  # two in compose, one Deployment
    for argv in replicas:
        assert argv[argv.index("--data-dir") + 1] == DATA


def manifest_env() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for name, service in compose()["services"].items():
        for var in service.get("environment", {}):
            names.setdefault(var, set()).add(f"compose {name}")
    for doc in k8s_docs():
        for c in containers(doc):
            for var in c.get("env", []):
                names.setdefault(var["name"], set()).add(doc["metadata"]["name"])
        if doc["kind"] == "Secret":  # keys of env-style secrets are environment names too
            for key in doc.get("stringData", {}):
                if key.isupper():
                    names.setdefault(key, set()).add(f"Secret {doc['metadata']['name']}")
    for var in DockerfileParser(path=str(DOCKERFILE)).envs:
        if var.startswith("REGISTRY_"):
            names.setdefault(var, set()).add("Dockerfile")
    return names


@pytest.mark.parametrize("name", sorted(manifest_env()))
def test_every_environment_name_is_one_the_code_reads(name: str) -> None:
    assert f'"{name}"' in SOURCE, (
        f"{name} (set in {sorted(manifest_env()[name])}) is read nowhere in registry/"
    )


def test_images_ports_and_paths_agree() -> None:
    services = compose()["services"]
    assert {s["image"] for s in services.values() if "registry" in s["image"]} == {IMAGE}
    assert services["init"]["build"] == ".."
    assert "-js" in services["nats"]["command"]
    for name in ("primary", "replica-1", "replica-2"):
        assert any(v.endswith(f":{DATA}") for v in services[name]["volumes"])
        assert any(p.endswith(f":{PORT}") for p in services[name]["ports"])
    assert services["primary"]["environment"]["REGISTRY_STORE"] == STORE
    replicas = services["primary"]["environment"]["REGISTRY_REPLICAS"].split(",")
    assert replicas == [f"http://replica-1:{PORT}", f"http://replica-2:{PORT}"]
    for doc in k8s_docs():
        if doc["kind"] == "Service":
            assert doc["spec"]["ports"][0]["port"] == PORT
        for c in containers(doc):
            assert c["image"] == IMAGE
            for port in c.get("ports", []):
                assert port["containerPort"] == PORT
            mounts = {m["mountPath"] for m in c.get("volumeMounts", [])}
            assert DATA in mounts
            env = {e["name"]: e.get("value") for e in c.get("env", [])}
            if "REGISTRY_STORE" in env:
                assert env["REGISTRY_STORE"] == STORE
            if "REGISTRY_SIGNING_KEY" in env:
                assert env["REGISTRY_SIGNING_KEY"].startswith(KEY_DIR + "/") and KEY_DIR in mounts
