# The registry server: `registry serve` on the store in the /var/lib/registry volume.
# Build from the repository root: docker build -t registry:latest .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# git runs the store (receive-pack, pack-refs, bundles); ssh-keygen lets operators check
# signatures with stock `git verify-tag` inside the container.
RUN apt-get update \
    && apt-get install -y --no-install-recommends git openssh-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 registry \
    && useradd --system --uid 10001 --gid registry --home-dir /var/lib/registry \
       --no-create-home --shell /usr/sbin/nologin registry

WORKDIR /opt/registry
COPY pyproject.toml README.md ./
COPY registry ./registry
RUN pip install '.[otel]'

# The store lives on the volume; the registry key is mounted apart from it (a secret).
ENV REGISTRY_STORE=/var/lib/registry/store.git \
    REGISTRY_SIGNING_KEY=/run/secrets/registry/registry-key
RUN mkdir -p /var/lib/registry && chown registry:registry /var/lib/registry
VOLUME ["/var/lib/registry"]

USER registry:registry
EXPOSE 8080

HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/livez', timeout=2).status != 200)"]

CMD ["registry", "serve", "--host", "0.0.0.0", "--port", "8080"]
