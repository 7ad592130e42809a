package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment, resolved as the kubelet resolves it.
 *
 * <ul>
 *   <li>{@code envFrom} first (secretRef, configMapRef, with prefix; keys that cannot be variable
 *       names are skipped), then {@code env} in order, later entries overriding earlier ones;</li>
 *   <li>{@code value} with {@code $(VAR)} references expanded against the variables defined before it
 *       ({@code $$} escapes, unknown references stay as written);</li>
 *   <li>{@code valueFrom}: secretKeyRef, configMapKeyRef ({@code optional} honoured; a missing
 *       non-optional object or key is a {@link PodConfigException}), fieldRef (metadata.name,
 *       metadata.namespace, metadata.uid, metadata.labels['k'], metadata.annotations['k'],
 *       spec.nodeName, spec.serviceAccountName, status.podIP(s) = the pod's own {@link PodAddresses}, status.hostIP(s) = 127.0.0.1) and
 *       resourceFieldRef (limits default to this machine's capacity).</li>
 * </ul>
 * The process environment is then {@link #processEnv composed}: the JVM's environment, the node's
 * extra env, the pod's env with paths mapped, HOSTNAME = pod name, and a PATH led by the node's bin folder.
 */
final class EnvResolver {
  static final String LOCALHOST = "127.0.0.1";
  private static final Pattern LABEL_REF = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

  private final ConfigLookup lookup;

  EnvResolver(ConfigLookup lookup) {
    this.lookup = lookup;
  }

  /** The environment as the container sees it (before paths are mapped). */
  LinkedHashMap<String, String> podEnv(Pod pod, Container container) throws PodConfigException {
    String ns = pod.getMetadata().getNamespace();
    LinkedHashMap<String, String> env = new LinkedHashMap<>();
    Map<String, Secret> secrets = new HashMap<>();
    Map<String, ConfigMap> configMaps = new HashMap<>();

    for (EnvFromSource from : nullSafe(container.getEnvFrom())) {
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      Map<String, byte[]> data = null;
      if (from.getSecretRef() != null) {
        String name = from.getSecretRef().getName();
        Optional<Secret> secret = lookup.secret(ns, name);
        if (secret.isEmpty()) {
          if (Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
            continue;
          }
          throw new PodConfigException("secret \"" + name + "\" not found");
        }
        data = ObjectData.of(secret.get());
      } else if (from.getConfigMapRef() != null) {
        String name = from.getConfigMapRef().getName();
        Optional<ConfigMap> cm = lookup.configMap(ns, name);
        if (cm.isEmpty()) {
          if (Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
            continue;
          }
          throw new PodConfigException("configmap \"" + name + "\" not found");
        }
        data = ObjectData.of(cm.get());
      }
      if (data != null) {
        data.forEach((k, v) -> {
          String key = prefix + k;
          if (isValidEnvName(key)) {
            env.put(key, ObjectData.text(v));
          }
        });
      }
    }

    for (EnvVar var : nullSafe(container.getEnv())) {
      String name = var.getName();
      if (name == null || name.isEmpty()) {
        continue;
      }
      EnvVarSource from = var.getValueFrom();
      if (from == null) {
        env.put(name, expand(var.getValue() == null ? "" : var.getValue(), env));
        continue;
      }
      if (from.getSecretKeyRef() != null) {
        SecretKeySelector ref = from.getSecretKeyRef();
        boolean optional = Boolean.TRUE.equals(ref.getOptional());
        Secret secret = secrets.computeIfAbsent(ref.getName(), n -> lookup.secret(ns, n).orElse(null));
        if (secret == null) {
          if (optional) {
            continue;
          }
          throw new PodConfigException("secret \"" + ref.getName() + "\" not found");
        }
        byte[] value = ObjectData.of(secret).get(ref.getKey());
        if (value == null) {
          if (optional) {
            continue;
          }
          throw new PodConfigException("couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
        }
        env.put(name, ObjectData.text(value));
      } else if (from.getConfigMapKeyRef() != null) {
        ConfigMapKeySelector ref = from.getConfigMapKeyRef();
        boolean optional = Boolean.TRUE.equals(ref.getOptional());
        ConfigMap cm = configMaps.computeIfAbsent(ref.getName(), n -> lookup.configMap(ns, n).orElse(null));
        if (cm == null) {
          if (optional) {
            continue;
          }
          throw new PodConfigException("configmap \"" + ref.getName() + "\" not found");
        }
        byte[] value = ObjectData.of(cm).get(ref.getKey());
        if (value == null) {
          if (optional) {
            continue;
          }
          throw new PodConfigException("couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
        }
        env.put(name, ObjectData.text(value));
      } else if (from.getFieldRef() != null) {
        env.put(name, fieldRef(pod, from.getFieldRef()));
      } else if (from.getResourceFieldRef() != null) {
        env.put(name, resourceFieldRef(pod, container, from.getResourceFieldRef()));
      } else {
        throw new PodConfigException("env " + name + ": unsupported valueFrom");
      }
    }
    return env;
  }

  /** The value of a downward API field path. */
  static String fieldRef(Pod pod, ObjectFieldSelector selector) throws PodConfigException {
    String path = selector.getFieldPath();
    if (path == null) {
      throw new PodConfigException("fieldRef without fieldPath");
    }
    switch (path) {
      case "metadata.name":
        return pod.getMetadata().getName();
      case "metadata.namespace":
        return pod.getMetadata().getNamespace();
      case "metadata.uid":
        return nullToEmpty(pod.getMetadata().getUid());
      case "spec.nodeName":
        return nullToEmpty(pod.getSpec().getNodeName());
      case "spec.serviceAccountName": {
        String sa = pod.getSpec().getServiceAccountName();
        return sa == null || sa.isEmpty() ? "default" : sa;
      }
      case "status.podIP":
      case "status.podIPs":
        return PodAddresses.of(pod);
      case "status.hostIP":
      case "status.hostIPs":
        return LOCALHOST;
      default:
        Matcher m = LABEL_REF.matcher(path);
        if (m.matches()) {
          Map<String, String> values = m.group(1).equals("labels")
              ? pod.getMetadata().getLabels() : pod.getMetadata().getAnnotations();
          return values == null ? "" : nullToEmpty(values.get(m.group(2)));
        }
        throw new PodConfigException("unsupported fieldPath " + path);
    }
  }

  /**
   * A resource of the container in the divisor's unit, rounded up. Unset limits are this machine's
   * capacity (as the kubelet uses node allocatable); unset requests are 0.
   */
  static String resourceFieldRef(Pod pod, Container fallback, ResourceFieldSelector selector) throws PodConfigException {
    Container container = fallback;
    if (selector.getContainerName() != null && !selector.getContainerName().isEmpty()) {
      container = allContainers(pod).stream()
          .filter(c -> selector.getContainerName().equals(c.getName()))
          .findFirst()
          .orElseThrow(() -> new PodConfigException("resourceFieldRef: no container " + selector.getContainerName()));
    }
    String resource = selector.getResource();
    if (resource == null || !resource.contains(".")) {
      throw new PodConfigException("unsupported resource " + resource);
    }
    String kind = resource.substring(0, resource.indexOf('.'));
    String name = resource.substring(resource.indexOf('.') + 1);
    Map<String, Quantity> values = null;
    if (container.getResources() != null) {
      values = kind.equals("limits") ? container.getResources().getLimits() : container.getResources().getRequests();
    }
    BigDecimal amount;
    Quantity q = values == null ? null : values.get(name);
    if (q != null) {
      amount = Quantity.getAmountInBytes(q);
    } else if (kind.equals("limits")) {
      amount = capacity(name);
    } else if (kind.equals("requests")) {
      amount = BigDecimal.ZERO;
    } else {
      throw new PodConfigException("unsupported resource " + resource);
    }
    BigDecimal divisor = selector.getDivisor() == null ? BigDecimal.ONE : Quantity.getAmountInBytes(selector.getDivisor());
    if (divisor.signum() == 0) {
      divisor = BigDecimal.ONE;
    }
    return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
  }

  private static BigDecimal capacity(String name) throws PodConfigException {
    switch (name) {
      case "cpu":
        return BigDecimal.valueOf(Runtime.getRuntime().availableProcessors());
      case "memory":
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
          return BigDecimal.valueOf(((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize());
        }
        return BigDecimal.valueOf(Runtime.getRuntime().maxMemory());
      case "ephemeral-storage":
        return BigDecimal.valueOf(new File("/").getTotalSpace());
      default:
        throw new PodConfigException("unsupported resource " + name);
    }
  }

  /**
   * Kubernetes' {@code $(VAR)} expansion: {@code $(NAME)} becomes the variable's value when defined and
   * stays as written when not; {@code $$} becomes {@code $}; any other {@code $} is kept.
   */
  static String expand(String input, Map<String, String> vars) {
    StringBuilder out = new StringBuilder(input.length());
    int checkpoint = 0;
    for (int cursor = 0; cursor < input.length(); cursor++) {
      if (input.charAt(cursor) == '$' && cursor + 1 < input.length()) {
        out.append(input, checkpoint, cursor);
        char next = input.charAt(cursor + 1);
        int advance;
        if (next == '$') {
          out.append('$');
          advance = 1;
        } else if (next == '(') {
          int close = input.indexOf(')', cursor + 2);
          if (close < 0) {
            out.append("$(");
            advance = 1;
          } else {
            String name = input.substring(cursor + 2, close);
            String value = vars.get(name);
            out.append(value != null ? value : "$(" + name + ")");
            advance = close - cursor;
          }
        } else {
          out.append('$').append(next);
          advance = 1;
        }
        cursor += advance;
        checkpoint = cursor + 1;
      }
    }
    if (checkpoint < input.length()) {
      out.append(input, checkpoint, input.length());
    }
    return out.toString();
  }

  static List<String> expandAll(List<String> values, Map<String, String> vars) {
    List<String> out = new ArrayList<>();
    for (String v : nullSafe(values)) {
      out.add(expand(v == null ? "" : v, vars));
    }
    return out;
  }

  /**
   * The environment of the local process: the JVM's environment, then the node's extra env, then the
   * pod's env (values already mapped to local paths), HOSTNAME = pod name unless the pod sets it, and
   * PATH = binDir, extra PATH entries, the pod's own PATH entries if it sets one (mapped), then the
   * JVM's PATH (or the extra env's PATH if it sets one).
   */
  static Map<String, String> processEnv(Map<String, String> jvmEnv, LocalNodeConfig config, String podName,
      Map<String, String> mappedPodEnv) {
    Map<String, String> env = new HashMap<>(jvmEnv);
    env.putAll(config.extraEnv());
    String basePath = env.get("PATH");
    env.putAll(mappedPodEnv);
    if (!mappedPodEnv.containsKey("HOSTNAME")) {
      env.put("HOSTNAME", podName);
    }
    List<String> path = new ArrayList<>();
    path.add(config.binDir().toString());
    for (Path p : config.extraPath()) {
      path.add(p.toString());
    }
    String podPath = mappedPodEnv.get("PATH");
    if (podPath != null && !podPath.isEmpty()) {
      path.add(podPath);
    }
    if (basePath != null && !basePath.isEmpty()) {
      path.add(basePath);
    }
    env.put("PATH", String.join(File.pathSeparator, path));
    return env;
  }

  /** Kubernetes accepts any printable name without '='; a process environment accepts no '=' or NUL either. */
  static boolean isValidEnvName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '=' || c < 0x20 || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  static List<Container> allContainers(Pod pod) {
    List<Container> all = new ArrayList<>(nullSafe(pod.getSpec().getInitContainers()));
    all.addAll(nullSafe(pod.getSpec().getContainers()));
    return all;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
