package dev.dbtplatform.api.db;

import java.time.OffsetDateTime;

/** An account: everything in the API belongs to exactly one. */
public record Account(long id, String name, OffsetDateTime createdAt) {}
