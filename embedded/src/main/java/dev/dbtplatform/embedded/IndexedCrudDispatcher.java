package dev.dbtplatform.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * fabric8's CRUD dispatcher, finding one named object through an index ({@link StoredObjects})
 * instead of testing every stored object. Reads, writes and deletes of one object cost the same
 * however many objects are stored; lists and watches still test them all, as before.
 *
 * <p>A replace of the status subresource is refused with 409 Conflict when it carries a
 * resourceVersion other than the stored one, as an API server refuses it; the base class checks
 * this for the object itself only. Writers can then rely on the check, as they do on a cluster,
 * instead of reading the object again before each write.
 *
 * <p>Requests are serialized by a lock of its own: reads share it, changes hold it alone, so a
 * read through the index never sees an object between the store's removal of its old state and
 * the addition of its new one.
 */
class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
  private final StoredObjects objects = new StoredObjects();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  IndexedCrudDispatcher() {
    super(List.of());
    replaceStore(Collections.synchronizedMap(objects));
  }

  /** The store is created by the base class, which offers no way to give it another one. */
  private void replaceStore(Map<AttributeSet, String> store) {
    try {
      Field field = CrudDispatcher.class.getDeclaredField("map");
      field.setAccessible(true);
      field.set(this, store);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this fabric8 mock server keeps its objects elsewhere; "
          + "the indexed store does not fit it", e);
    }
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    boolean read = "GET".equalsIgnoreCase(request.getMethod());
    var held = read ? lock.readLock() : lock.writeLock();
    held.lock();
    try {
      return super.dispatch(request);
    } finally {
      held.unlock();
    }
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    String path = request.getPath();
    if (path.endsWith("/status")) {
      // getBytes leaves the body for the base class to read
      String sent = Serialization.unmarshal(new String(request.getBody().getBytes(), StandardCharsets.UTF_8),
          JsonNode.class).path("metadata").path("resourceVersion").asText();
      Map.Entry<AttributeSet, String> stored = sent.isEmpty() ? null : findResource(getKey(path));
      if (stored != null) {
        JsonNode current = Serialization.unmarshal(stored.getValue(), JsonNode.class);
        if (!sent.equals(current.path("metadata").path("resourceVersion").asText())) {
          return conflict(current);
        }
      }
    }
    return super.handleUpdate(request);
  }

  /** The answer of an API server to a write based on an older version of the object. */
  private static MockResponse conflict(JsonNode current) {
    String name = current.path("metadata").path("name").asText();
    Status status = new StatusBuilder().withStatus("Failure").withReason("Conflict").withCode(409)
        .withMessage("Operation cannot be fulfilled on " + current.path("kind").asText() + " \"" + name
            + "\": the object has been modified; please apply your changes to the latest version and try again")
        .withNewDetails().withName(name).withKind(current.path("kind").asText()).endDetails()
        .build();
    return new MockResponse().setResponseCode(409).setBody(Serialization.asJson(status));
  }

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    List<Map.Entry<AttributeSet, String>> candidates = candidates(query);
    return candidates == null ? super.findResource(query) : first(candidates, query);
  }

  @Override
  public MockResponse handleGet(String path) {
    if (path.contains("watch=true")) {
      return super.handleGet(path);
    }
    AttributeSet query = getKey(path);
    List<Map.Entry<AttributeSet, String>> candidates = candidates(query);
    if (candidates == null) {
      return super.handleGet(path);
    }
    Map.Entry<AttributeSet, String> found = first(candidates, query);
    return found == null ? new MockResponse().setResponseCode(404)
        : new MockResponse().setResponseCode(200).setBody(found.getValue());
  }

  /**
   * Deletes one named object as the base class does: at once without finalizers; with them, it is
   * only marked (a deletion timestamp, a new resource version) until they are removed. Answers the
   * object as it was.
   */
  @Override
  public MockResponse handleDelete(String path) {
    AttributeSet query = getKey(path);
    List<Map.Entry<AttributeSet, String>> candidates = candidates(query);
    if (candidates == null) {
      return super.handleDelete(path);
    }
    Map.Entry<AttributeSet, String> found = first(candidates, query);
    if (found == null) {
      return new MockResponse().setResponseCode(404);
    }
    GenericKubernetesResource resource = Serialization.unmarshal(found.getValue(), GenericKubernetesResource.class);
    if (resource.getFinalizers().isEmpty()) {
      processEvent(path, query, found.getKey(), null, null);
    } else if (!resource.isMarkedForDeletion()) {
      // as the API server does: whole seconds, and a new resource version so that watchers take it as a change
      resource.getMetadata().setDeletionTimestamp(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      resource.getMetadata().setResourceVersion(Long.toString(requestResourceVersion()));
      processEvent(path, query, found.getKey(), resource, Serialization.asJson(resource));
    }
    return new MockResponse().setResponseCode(200).setBody(found.getValue());
  }

  /** The first candidate the query matches (there is at most one), as the mock's scan would find it; or null. */
  private static Map.Entry<AttributeSet, String> first(List<Map.Entry<AttributeSet, String>> candidates,
                                                       AttributeSet query) {
    return candidates.stream().filter(e -> e.getKey().matches(query)).findFirst().orElse(null);
  }

  private List<Map.Entry<AttributeSet, String>> candidates(AttributeSet query) {
    synchronized (objectsLock()) {
      return objects.candidates(query);
    }
  }

  /** The synchronized wrapper's own lock, which guards the store for the base class too. */
  private Object objectsLock() {
    return getMap();
  }
}
