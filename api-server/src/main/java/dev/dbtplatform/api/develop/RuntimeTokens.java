package dev.dbtplatform.api.develop;

import dev.dbtplatform.contract.ObjectNames;
import dev.dbtplatform.crd.DbtDevelopSession;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokens develop runtimes require of their callers, read from each session's token Secret
 * (status.tokenSecret, key {@code token}) and kept in memory by session UID: the operator makes
 * the Secret once per session, so it does not change while the session lives. The values are
 * never logged.
 */
public final class RuntimeTokens {
  public static final String KEY = "token";
  private static final int MAX_CACHED = 10_000;

  private final KubernetesClient cluster;
  private final ConcurrentHashMap<String, String> byUid = new ConcurrentHashMap<>();

  public RuntimeTokens(KubernetesClient cluster) {
    this.cluster = cluster;
  }

  /** The session's token, or null while the operator has not made its Secret yet. */
  public String token(DbtDevelopSession session) {
    String uid = session.getMetadata().getUid();
    String cached = byUid.get(uid);
    if (cached != null) {
      return cached;
    }
    String token = read(session);
    if (token != null) {
      if (byUid.size() > MAX_CACHED) {
        byUid.clear();
      }
      byUid.put(uid, token);
    }
    return token;
  }

  /** Forgets the session's token: the runtime refused it, or the session is gone. */
  public void forget(DbtDevelopSession session) {
    byUid.remove(session.getMetadata().getUid());
  }

  private String read(DbtDevelopSession session) {
    String name = session.getStatus() != null && session.getStatus().tokenSecret != null
        ? session.getStatus().tokenSecret : ObjectNames.developTokenSecret(session.getMetadata().getName());
    Secret secret = cluster.secrets().inNamespace(session.getMetadata().getNamespace()).withName(name).get();
    if (secret == null) {
      return null;
    }
    Map<String, String> data = secret.getData();
    if (data != null && data.get(KEY) != null) {
      return new String(Base64.getDecoder().decode(data.get(KEY).strip()), StandardCharsets.UTF_8).strip();
    }
    Map<String, String> plain = secret.getStringData(); // API stand-ins that keep stringData as written
    return plain == null || plain.get(KEY) == null ? null : plain.get(KEY).strip();
  }
}
