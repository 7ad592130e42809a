package dev.dbtplatform.api.db;

import static dev.dbtplatform.api.db.generated.Tables.OBJECT_IDS;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The numeric ids the API shows for custom resources. An id is given the first time anyone asks
 * for a (kind, namespace, name) and stays with that name for good.
 */
public final class ObjectIds {
  /** The kinds that have numeric ids; runs have theirs in run history. */
  public enum Kind { DbtProject, DbtEnvironment, DbtJob, DbtDevelopSession }

  /** Enough tries to get past names kubectl took, few enough to stop a runaway loop. */
  private static final int MAX_NEW_ID_TRIES = 20;

  /** Where an id points. */
  public record ObjectName(long id, long accountId, Kind kind, String namespace, String name) {}

  private final Database db;

  public ObjectIds(Database db) {
    this.db = db;
  }

  /** The id of a resource, given now if it has none yet. */
  public long idFor(long accountId, Kind kind, String namespace, String name) {
    return find(kind, namespace, name).orElseGet(() -> {
      db.dsl().insertInto(OBJECT_IDS)
          .set(OBJECT_IDS.ACCOUNT_ID, accountId)
          .set(OBJECT_IDS.KIND, kind.name())
          .set(OBJECT_IDS.NAMESPACE, namespace)
          .set(OBJECT_IDS.NAME, name)
          .onConflictDoNothing() // another request or replica gave it at the same moment
          .execute();
      return find(kind, namespace, name).orElseThrow();
    });
  }

  /**
   * A new id with a name made from it, for objects named after their own id (develop sessions:
   * {@code alice-42}). The id comes from the table's sequence before the row is written, so
   * the name can hold it; a name that already has an id (an object kubectl made under it) is
   * skipped for the next id.
   */
  public ObjectName newId(long accountId, Kind kind, String namespace, LongFunction<String> nameFor) {
    for (int i = 0; i < MAX_NEW_ID_TRIES; i++) {
      long id = db.dsl().resultQuery("select nextval(pg_get_serial_sequence('object_ids', 'id'))").fetchOne(0, Long.class);
      String name = nameFor.apply(id);
      int inserted = db.dsl().insertInto(OBJECT_IDS)
          .set(OBJECT_IDS.ID, id)
          .set(OBJECT_IDS.ACCOUNT_ID, accountId)
          .set(OBJECT_IDS.KIND, kind.name())
          .set(OBJECT_IDS.NAMESPACE, namespace)
          .set(OBJECT_IDS.NAME, name)
          .onConflictDoNothing()
          .execute();
      if (inserted == 1) {
        return new ObjectName(id, accountId, kind, namespace, name);
      }
    }
    throw new IllegalStateException("no free " + kind + " name in " + namespace + " after " + MAX_NEW_ID_TRIES + " ids");
  }

  /** Ids of many resources of one kind in one namespace, giving ids to those that have none. */
  public Map<String, Long> idsFor(long accountId, Kind kind, String namespace, Collection<String> names) {
    Map<String, Long> ids = new HashMap<>();
    db.dsl().select(OBJECT_IDS.NAME, OBJECT_IDS.ID).from(OBJECT_IDS)
        .where(OBJECT_IDS.KIND.eq(kind.name()), OBJECT_IDS.NAMESPACE.eq(namespace), OBJECT_IDS.NAME.in(names))
        .forEach(r -> ids.put(r.value1(), r.value2()));
    for (String name : names) {
      if (!ids.containsKey(name)) {
        ids.put(name, idFor(accountId, kind, namespace, name));
      }
    }
    return ids;
  }

  public Optional<Long> find(Kind kind, String namespace, String name) {
    return db.dsl().select(OBJECT_IDS.ID).from(OBJECT_IDS)
        .where(OBJECT_IDS.KIND.eq(kind.name()), OBJECT_IDS.NAMESPACE.eq(namespace), OBJECT_IDS.NAME.eq(name))
        .fetchOptional(OBJECT_IDS.ID);
  }

  /** The resource behind an id, only if it is of this kind and this account's. */
  public Optional<ObjectName> find(long accountId, Kind kind, long id) {
    return db.dsl().selectFrom(OBJECT_IDS)
        .where(OBJECT_IDS.ID.eq(id), OBJECT_IDS.ACCOUNT_ID.eq(accountId), OBJECT_IDS.KIND.eq(kind.name()))
        .fetchOptional()
        .map(r -> new ObjectName(r.getId(), r.getAccountId(), kind, r.getNamespace(), r.getName()));
  }
}
