"""The Confluent-compatible door: Confluent Schema Registry's REST API over the registry's index.

Kafka applications point ``schema.registry.url`` at ``http(s)://host/ccompat`` and their
JSON Schema serializers and deserializers read and register contracts unchanged. Mount
the app this package builds with ``app.mount("/ccompat", ccompat_app(config))``.
"""

from registry.api.ccompat.routes import ccompat_app

__all__ = ["ccompat_app"]
