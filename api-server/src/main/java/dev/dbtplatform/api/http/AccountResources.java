package dev.dbtplatform.api.http;

import dev.dbtplatform.api.db.Account;
import dev.dbtplatform.api.db.ObjectIds;
import dev.dbtplatform.api.db.ObjectIds.Kind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * One kind of custom resource as the API sees it: the objects in an account's namespace, each
 * with its numeric id. The cluster is the source of truth, so objects that GitOps tools or kubectl
 * created are listed too, and get their id when first seen. The cluster's refusals become answers
 * a client can act on.
 */
final class AccountResources<T extends HasMetadata> {
  /** A created object and the id the API shows for it. */
  record Created<T>(long id, T resource) {}

  /** Enough tries to get past "-2", "-3"... of a popular name, few enough to stop a runaway loop. */
  private static final int MAX_NAME_CANDIDATES = 100;

  private final KubernetesClient cluster;
  private final ObjectIds ids;
  private final Class<T> type;
  private final Kind kind;
  private final String what;

  /** @param what how messages call the kind: "project", "environment", "job" */
  AccountResources(ApiServices services, Class<T> type, Kind kind, String what) {
    this.cluster = services.cluster();
    this.ids = services.ids();
    this.type = type;
    this.kind = kind;
    this.what = what;
  }

  Kind kind() {
    return kind;
  }

  List<T> list(Account account) {
    return Cluster.call(() -> cluster.resources(type).inNamespace(account.namespace()).list().getItems());
  }

  /** The ids of objects by name, given now to those seen for the first time. */
  Map<String, Long> idsOf(Account account, Collection<T> resources) {
    return ids.idsFor(account.id(), kind, account.namespace(),
        resources.stream().map(r -> r.getMetadata().getName()).toList());
  }

  long idOf(Account account, String name) {
    return ids.idFor(account.id(), kind, account.namespace(), name);
  }

  Optional<T> find(Account account, String name) {
    return Optional.ofNullable(Cluster.call(() -> cluster.resources(type).inNamespace(account.namespace()).withName(name).get()));
  }

  /** The object behind an id, only if it is this account's and still exists. */
  Optional<T> find(Account account, long id) {
    return nameOf(account, id).flatMap(name -> find(account, name));
  }

  /** The name an id was given to, whether or not the object still exists. */
  Optional<String> nameOf(Account account, long id) {
    return ids.find(account.id(), kind, id).map(ObjectIds.ObjectName::name);
  }

  /** Like {@link #find(Account, long)}; a missing object, or another account's, is a 404. */
  T get(Account account, long id) {
    return find(account, id).orElseThrow(() -> notFound(id));
  }

  ApiException notFound(long id) {
    return ApiException.notFound(capitalized() + " " + id + " was not found.");
  }

  /**
   * Creates an object named after {@code displayName}. Names that exist, or that an id was ever
   * given to, are skipped: an object made through the API gets a fresh id, never the id of one
   * deleted earlier. {@code build} makes the object from its name and id.
   */
  Created<T> create(Account account, String displayName, String fallbackName, BiFunction<String, Long, T> build) {
    String slug = ResourceNames.slug(displayName, fallbackName);
    for (int n = 1; n <= MAX_NAME_CANDIDATES; n++) {
      String name = ResourceNames.candidate(slug, n);
      if (ids.find(kind, account.namespace(), name).isPresent() || find(account, name).isPresent()) {
        continue;
      }
      long id = idOf(account, name);
      T resource = build.apply(name, id);
      try {
        return new Created<>(id, cluster.resource(resource).inNamespace(account.namespace()).create());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw translate(e, id);
        }
        // someone created an object of that name just now: try the next one
      }
    }
    throw new ApiException(409, "Too many " + what + "s are named like '" + slug + "'; choose another name.");
  }

  /** Writes a changed object; the cluster refuses it when it changed since it was read. */
  T update(T resource, long id) {
    try {
      return cluster.resource(resource).update();
    } catch (KubernetesClientException e) {
      throw translate(e, id);
    }
  }

  void delete(T resource, long id) {
    try {
      cluster.resource(resource).delete();
    } catch (KubernetesClientException e) {
      throw translate(e, id);
    }
  }

  /**
   * A conflict on a write is someone else's change in between; a missing object on a write was
   * deleted in between. Anything else as for every call to the cluster.
   */
  private ApiException translate(KubernetesClientException e, long id) {
    if (e.getCode() == 409) {
      return new ApiException(409, "The " + what + " was changed by someone else while this request was "
          + "updating it; read it again and retry.");
    }
    if (e.getCode() == 404) {
      return notFound(id);
    }
    return Cluster.refused("write the " + what, e);
  }

  private String capitalized() {
    return Character.toUpperCase(what.charAt(0)) + what.substring(1);
  }
}
