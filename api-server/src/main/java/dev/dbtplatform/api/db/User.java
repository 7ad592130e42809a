package dev.dbtplatform.api.db;

import java.time.OffsetDateTime;

/**
 * A person in an account, who holds personal tokens and owns develop sessions. The username is
 * what the cluster knows them by (a DbtDevelopSession's spec.user, the author of its commits).
 *
 * @param email for commits; null when none was given
 */
public record User(long id, long accountId, String username, String email, OffsetDateTime createdAt) {}
