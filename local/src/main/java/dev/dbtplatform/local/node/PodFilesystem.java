package dev.dbtplatform.local.node;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapProjection;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretProjection;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maps a pod's volumes to local folders and its container paths to local paths.
 *
 * <ul>
 *   <li>persistentVolumeClaim: {@code <root>/volumes/<namespace>/<claimName>}, shared by every pod that
 *       mounts the claim and kept until the claim is deleted ({@code readOnly} is not enforced);</li>
 *   <li>secret, configMap: a per-pod folder with one file per key (Secret data decoded plus stringData,
 *       ConfigMap data plus binaryData), {@code items} (key, path, mode) and {@code defaultMode}
 *       honoured, written once when the pod starts; a missing optional object gives an empty folder, a
 *       missing non-optional one a {@link PodConfigException};</li>
 *   <li>emptyDir: a per-pod folder; downwardAPI and projected (secret, configMap, downwardAPI sources):
 *       per-pod folders with the files written; hostPath: the host path itself.</li>
 * </ul>
 * Per-pod folders live in {@code <root>/pods/<namespace>/<pod>/run-<uid>/volumes/<volume>}, and are
 * deleted with the pod.
 *
 * <p>How a program written for the pod finds its files locally: every volumeMount's mountPath (plus
 * subPath) and the container's terminationMessagePath (default {@code /dev/termination-log}, mapped to
 * {@code run-<uid>/termination/<container>}) become entries of a {@link PathMapper}; env values,
 * command and args that equal one of those container paths or start with it followed by {@code /} are
 * rewritten to the local path, the longest mount path winning. Strings with a path further in
 * ({@code --dir=/workspace}, a path inside JSON or a shell script) are not rewritten: pass paths in
 * their own env variables or arguments. workingDir is mapped the same way; a workingDir outside every
 * mount, or none, becomes a folder under {@code run-<uid>/rootfs}.
 */
final class PodFilesystem {
  static final String DEFAULT_TERMINATION_PATH = "/dev/termination-log";

  private final LocalNodeConfig config;
  private final ConfigLookup lookup;

  PodFilesystem(LocalNodeConfig config, ConfigLookup lookup) {
    this.config = config;
    this.lookup = lookup;
  }

  /** The folder of one pod incarnation: volumes, termination message files, default working folder. */
  Path runDir(Pod pod) {
    String uid = pod.getMetadata().getUid() == null ? "no-uid" : pod.getMetadata().getUid();
    return config.podDir(pod.getMetadata().getNamespace(), pod.getMetadata().getName())
        .resolve("run-" + LocalNodeConfig.safeSegment(uid));
  }

  /** The claims a pod mounts. */
  static List<String> claimNames(Pod pod) {
    return EnvResolver.nullSafe(pod.getSpec().getVolumes()).stream()
        .filter(v -> v.getPersistentVolumeClaim() != null)
        .map(v -> v.getPersistentVolumeClaim().getClaimName())
        .toList();
  }

  /** Creates the pod's folders and writes its Secret, ConfigMap and downward API files. */
  Prepared prepare(Pod pod) throws PodConfigException, IOException {
    Path runDir = runDir(pod);
    Path volumesDir = runDir.resolve("volumes");
    FileTrees.deleteRecursively(volumesDir);
    Files.createDirectories(volumesDir);
    Files.createDirectories(runDir.resolve("termination"));
    Files.createDirectories(runDir.resolve("rootfs"));
    String ns = pod.getMetadata().getNamespace();
    Map<String, Path> volumes = new LinkedHashMap<>();
    for (Volume v : EnvResolver.nullSafe(pod.getSpec().getVolumes())) {
      String name = LocalNodeConfig.safeSegment(v.getName());
      Path perPod = volumesDir.resolve(name);
      if (v.getPersistentVolumeClaim() != null) {
        Path dir = config.claimDir(ns, v.getPersistentVolumeClaim().getClaimName());
        Files.createDirectories(dir);
        volumes.put(name, dir);
      } else if (v.getEmptyDir() != null) {
        Files.createDirectories(perPod);
        volumes.put(name, perPod);
      } else if (v.getSecret() != null) {
        Files.createDirectories(perPod);
        writeSecret(ns, v.getSecret(), perPod);
        volumes.put(name, perPod);
      } else if (v.getConfigMap() != null) {
        Files.createDirectories(perPod);
        writeConfigMap(ns, v.getConfigMap(), perPod);
        volumes.put(name, perPod);
      } else if (v.getDownwardAPI() != null) {
        Files.createDirectories(perPod);
        writeDownward(pod, v.getDownwardAPI().getItems(), v.getDownwardAPI().getDefaultMode(), perPod);
        volumes.put(name, perPod);
      } else if (v.getProjected() != null) {
        Files.createDirectories(perPod);
        for (VolumeProjection source : EnvResolver.nullSafe(v.getProjected().getSources())) {
          Integer mode = v.getProjected().getDefaultMode();
          if (source.getSecret() != null) {
            SecretProjection s = source.getSecret();
            writeSecretFiles(ns, s.getName(), s.getOptional(), s.getItems(), mode, perPod);
          } else if (source.getConfigMap() != null) {
            ConfigMapProjection c = source.getConfigMap();
            writeConfigMapFiles(ns, c.getName(), c.getOptional(), c.getItems(), mode, perPod);
          } else if (source.getDownwardAPI() != null) {
            writeDownward(pod, source.getDownwardAPI().getItems(), mode, perPod);
          } else {
            throw new PodConfigException("volume \"" + name + "\": projected source not supported by the local node");
          }
        }
        volumes.put(name, perPod);
      } else if (v.getHostPath() != null) {
        Path host = Path.of(v.getHostPath().getPath());
        String type = v.getHostPath().getType();
        if ("DirectoryOrCreate".equals(type)) {
          Files.createDirectories(host);
        }
        volumes.put(name, host);
      } else {
        throw new PodConfigException("volume \"" + name + "\": only persistentVolumeClaim, emptyDir, secret, "
            + "configMap, downwardAPI, projected and hostPath volumes are supported by the local node");
      }
    }
    return new Prepared(runDir, volumes);
  }

  /** Deletes the folders of one pod incarnation (its logs stay). */
  void release(Pod pod) {
    try {
      FileTrees.deleteRecursively(runDir(pod));
    } catch (IOException | RuntimeException e) {
      // best effort: nothing depends on it
    }
  }

  /** The pod's volumes, resolved to local folders. */
  static final class Prepared {
    final Path runDir;
    final Map<String, Path> volumes;

    Prepared(Path runDir, Map<String, Path> volumes) {
      this.runDir = runDir;
      this.volumes = Map.copyOf(volumes);
    }

    Path terminationFile(Container container) {
      return runDir.resolve("termination").resolve(LocalNodeConfig.safeSegment(container.getName()));
    }

    static String terminationPath(Container container) {
      String p = container.getTerminationMessagePath();
      return p == null || p.isEmpty() ? DEFAULT_TERMINATION_PATH : p;
    }

    /**
     * The container's path mapping: its mounts (mountPath to volume folder, plus subPath or subPathExpr
     * expanded with the container's env) and its termination message path. Creates subPath folders
     * and an empty termination message file, as the kubelet does.
     */
    PathMapper mapperFor(Container container, Map<String, String> podEnv) throws PodConfigException, IOException {
      Map<String, Path> map = new LinkedHashMap<>();
      for (VolumeMount m : EnvResolver.nullSafe(container.getVolumeMounts())) {
        Path dir = volumes.get(m.getName());
        if (dir == null) {
          throw new PodConfigException("volumeMount \"" + m.getName() + "\" of container \"" + container.getName()
              + "\" names no volume of the pod");
        }
        String sub = m.getSubPath();
        if ((sub == null || sub.isEmpty()) && m.getSubPathExpr() != null && !m.getSubPathExpr().isEmpty()) {
          sub = EnvResolver.expand(m.getSubPathExpr(), podEnv);
        }
        if (sub != null && !sub.isEmpty()) {
          dir = relative(dir, sub, "subPath");
          if (!Files.exists(dir)) {
            Files.createDirectories(dir);
          }
        }
        map.put(m.getMountPath(), dir);
      }
      Path termination = terminationFile(container);
      Files.createDirectories(termination.getParent());
      Files.write(termination, new byte[0]);
      map.put(terminationPath(container), termination);
      return PathMapper.of(map);
    }

    /** The working folder: workingDir mapped through the mounts, else a folder under {@code rootfs}. */
    Path workingDir(Container container, PathMapper mapper) throws IOException, PodConfigException {
      String wd = container.getWorkingDir();
      Path dir;
      if (wd == null || wd.isEmpty()) {
        dir = runDir.resolve("rootfs");
      } else {
        Optional<String> mapped = mapper.mapIfMatched(wd);
        String inRootfs = wd.replaceFirst("^/+", "");
        if (mapped.isPresent()) {
          dir = Path.of(mapped.get());
        } else if (inRootfs.isEmpty()) {
          dir = runDir.resolve("rootfs");
        } else {
          dir = relative(runDir.resolve("rootfs"), inRootfs, "workingDir");
        }
      }
      Files.createDirectories(dir);
      return dir;
    }
  }

  private void writeSecret(String ns, SecretVolumeSource source, Path dir) throws PodConfigException, IOException {
    writeSecretFiles(ns, source.getSecretName(), source.getOptional(), source.getItems(), source.getDefaultMode(), dir);
  }

  private void writeSecretFiles(String ns, String name, Boolean optional, List<KeyToPath> items, Integer defaultMode,
      Path dir) throws PodConfigException, IOException {
    Optional<Secret> secret = lookup.secret(ns, name);
    if (secret.isEmpty()) {
      if (Boolean.TRUE.equals(optional)) {
        return;
      }
      throw new PodConfigException("secret \"" + name + "\" not found");
    }
    writeKeys(ObjectData.of(secret.get()), items, defaultMode, dir, "Secret " + ns + "/" + name, Boolean.TRUE.equals(optional));
  }

  private void writeConfigMap(String ns, ConfigMapVolumeSource source, Path dir) throws PodConfigException, IOException {
    writeConfigMapFiles(ns, source.getName(), source.getOptional(), source.getItems(), source.getDefaultMode(), dir);
  }

  private void writeConfigMapFiles(String ns, String name, Boolean optional, List<KeyToPath> items, Integer defaultMode,
      Path dir) throws PodConfigException, IOException {
    Optional<ConfigMap> cm = lookup.configMap(ns, name);
    if (cm.isEmpty()) {
      if (Boolean.TRUE.equals(optional)) {
        return;
      }
      throw new PodConfigException("configmap \"" + name + "\" not found");
    }
    writeKeys(ObjectData.of(cm.get()), items, defaultMode, dir, "ConfigMap " + ns + "/" + name, Boolean.TRUE.equals(optional));
  }

  private static void writeKeys(Map<String, byte[]> data, List<KeyToPath> items, Integer defaultMode, Path dir,
      String what, boolean optional) throws PodConfigException, IOException {
    if (items == null || items.isEmpty()) {
      for (Map.Entry<String, byte[]> e : data.entrySet()) {
        writeFile(relative(dir, e.getKey(), "key"), e.getValue(), defaultMode);
      }
      return;
    }
    for (KeyToPath item : items) {
      byte[] value = data.get(item.getKey());
      if (value == null) {
        if (optional) {
          continue;
        }
        throw new PodConfigException("couldn't find key " + item.getKey() + " in " + what);
      }
      String path = item.getPath() == null || item.getPath().isEmpty() ? item.getKey() : item.getPath();
      writeFile(relative(dir, path, "path"), value, item.getMode() != null ? item.getMode() : defaultMode);
    }
  }

  private static void writeDownward(Pod pod, List<DownwardAPIVolumeFile> items, Integer defaultMode, Path dir)
      throws PodConfigException, IOException {
    for (DownwardAPIVolumeFile item : EnvResolver.nullSafe(items)) {
      String value;
      if (item.getFieldRef() != null) {
        String fieldPath = item.getFieldRef().getFieldPath();
        if ("metadata.labels".equals(fieldPath)) {
          value = formatMap(pod.getMetadata().getLabels());
        } else if ("metadata.annotations".equals(fieldPath)) {
          value = formatMap(pod.getMetadata().getAnnotations());
        } else {
          value = EnvResolver.fieldRef(pod, item.getFieldRef());
        }
      } else if (item.getResourceFieldRef() != null) {
        Container first = pod.getSpec().getContainers().get(0);
        value = EnvResolver.resourceFieldRef(pod, first, item.getResourceFieldRef());
      } else {
        throw new PodConfigException("downwardAPI item " + item.getPath() + " has neither fieldRef nor resourceFieldRef");
      }
      Integer mode = item.getMode() != null ? item.getMode() : defaultMode;
      writeFile(relative(dir, item.getPath(), "path"), value.getBytes(StandardCharsets.UTF_8), mode);
    }
  }

  /** The kubelet's format: one {@code key="value"} line per entry, sorted by key. */
  static String formatMap(Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    new TreeMap<>(values == null ? Map.<String, String>of() : values).forEach((k, v) -> {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(k).append("=\"")
          .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
          .append('"');
    });
    return out.toString();
  }

  private static void writeFile(Path file, byte[] content, Integer mode) throws IOException {
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    Files.write(file, content);
    if (mode != null) {
      try {
        Files.setPosixFilePermissions(file, permissions(mode));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: modes are best effort
      }
    }
  }

  /** Octal mode bits to permissions; the owner always keeps read access, since the owner runs the pod. */
  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> perms = EnumSet.of(PosixFilePermission.OWNER_READ);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        perms.add(order[bit]);
      }
    }
    return perms;
  }

  /** A relative path inside a folder; absolute paths and {@code ..} are refused, as Kubernetes does. */
  static Path relative(Path dir, String relative, String what) throws PodConfigException {
    if (relative == null || relative.isEmpty() || relative.startsWith("/")) {
      throw new PodConfigException(what + " must be a relative path: " + relative);
    }
    Path resolved = dir.resolve(relative).normalize();
    if (!resolved.startsWith(dir)) {
      throw new PodConfigException(what + " must not contain '..': " + relative);
    }
    return resolved;
  }
}
