package dev.dbtplatform.api.db;

import java.time.OffsetDateTime;

/**
 * An account: everything in the API belongs to exactly one. Its custom resources live in its
 * Kubernetes namespace.
 */
public record Account(long id, String name, String namespace, OffsetDateTime createdAt) {}
