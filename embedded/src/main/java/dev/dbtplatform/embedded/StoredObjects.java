package dev.dbtplatform.embedded;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mock API's store (each object's attributes to its JSON), with an index by resource,
 * namespace and name. The mock finds an object by testing every stored object's attributes; with
 * thousands of runs, each owning pods, volumes, Jobs and Events, that scan was most of what the
 * stand-in did. The index only narrows the search: callers still test each candidate's attributes,
 * so an answer found through it is the one the scan would give.
 *
 * <p>Changed only through {@link #put}, {@link #remove} and {@link #clear}; the views are read-only,
 * so a change that would bypass the index fails loudly instead.
 */
final class StoredObjects extends AbstractMap<AttributeSet, String> {
  /** The mock's wildcard value, which matches anything. */
  private static final String ANY = "*";

  private final Map<AttributeSet, String> objects = new LinkedHashMap<>();
  private final Map<String, List<AttributeSet>> byIdentity = new HashMap<>();

  @Override
  public String put(AttributeSet key, String value) {
    String old = objects.put(key, value);
    String identity = identity(key);
    if (old == null && identity != null) {
      byIdentity.computeIfAbsent(identity, i -> new ArrayList<>(1)).add(key);
    }
    return old;
  }

  @Override
  public String remove(Object key) {
    String old = objects.remove(key);
    if (old != null && key instanceof AttributeSet attributes) {
      String identity = identity(attributes);
      List<AttributeSet> same = identity == null ? null : byIdentity.get(identity);
      if (same != null) {
        same.remove(attributes);
        if (same.isEmpty()) {
          byIdentity.remove(identity);
        }
      }
    }
    return old;
  }

  @Override
  public void clear() {
    objects.clear();
    byIdentity.clear();
  }

  @Override
  public String get(Object key) {
    return objects.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return objects.containsKey(key);
  }

  @Override
  public int size() {
    return objects.size();
  }

  @Override
  public Set<Entry<AttributeSet, String>> entrySet() {
    return Collections.unmodifiableMap(objects).entrySet();
  }

  /**
   * The stored objects that can match {@code query}, or null when the query does not name one
   * object of one resource in one namespace, and every object has to be tested.
   */
  List<Entry<AttributeSet, String>> candidates(AttributeSet query) {
    String identity = identity(query);
    if (identity == null) {
      return null;
    }
    List<Entry<AttributeSet, String>> found = new ArrayList<>(1);
    for (AttributeSet key : byIdentity.getOrDefault(identity, List.of())) {
      found.add(Map.entry(key, objects.get(key)));
    }
    return found;
  }

  /**
   * Resource, namespace and name, when the attributes say each exactly (cluster-scoped objects
   * and queries without a name have none, and are found by the scan).
   */
  static String identity(AttributeSet attributes) {
    String plural = exact(attributes, KubernetesAttributesExtractor.PLURAL);
    String namespace = exact(attributes, KubernetesAttributesExtractor.NAMESPACE);
    String name = exact(attributes, KubernetesAttributesExtractor.NAME);
    return plural == null || namespace == null || name == null ? null : plural + '/' + namespace + '/' + name;
  }

  private static String exact(AttributeSet attributes, String key) {
    Attribute attribute = attributes.getAttribute(key);
    if (attribute == null || attribute.getType() != AttributeType.WITH || attribute.getValues().size() != 1) {
      return null;
    }
    String value = attribute.getValues().get(0).toString();
    return value == null || ANY.equals(value) ? null : value;
  }
}
