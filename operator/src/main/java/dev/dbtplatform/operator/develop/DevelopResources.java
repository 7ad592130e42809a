package dev.dbtplatform.operator.develop;

import dev.dbtplatform.contract.DevelopConfig;
import dev.dbtplatform.contract.ObjectNames;
import dev.dbtplatform.contract.RuntimeEnv;
import dev.dbtplatform.crd.ApiGroup;
import dev.dbtplatform.crd.DbtDevelopSession;
import dev.dbtplatform.operator.resources.ResourceNames;
import dev.dbtplatform.operator.resources.RunPodFactory;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a develop session is made of, as objects: spec in, object out, no cluster needed. The pod,
 * its Service and the token Secret belong to the session; the workspace volume belongs to the
 * user and the project, so that it outlives the session and a new session of the same user finds
 * it again.
 */
public final class DevelopResources {
  private DevelopResources() {}

  public static final String COMPONENT = "develop";
  public static final String WORKSPACE_COMPONENT = "develop-workspace";
  public static final String SESSION_LABEL = ApiGroup.GROUP + "/develop-session";
  /** The user and project a workspace belongs to, for people; the name is what finds it. */
  public static final String WORKSPACE_OWNER_ANNOTATION = ApiGroup.GROUP + "/workspace-of";
  public static final String CONTAINER = "develop";
  public static final String COMMAND = "dbt-platform-develop";
  public static final String TOKEN_KEY = "token";

  public static String podName(String session) {
    return ObjectNames.developPod(session);
  }

  public static String serviceName(String session) {
    return ObjectNames.developService(session);
  }

  public static String tokenSecretName(String session) {
    return ObjectNames.developTokenSecret(session);
  }

  /** One volume per user and project; user names may hold characters names may not, so they are hashed in. */
  public static String workspaceName(String user, String project) {
    String safeUser = user.toLowerCase().replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
    String name = "workspace-" + project + "-" + safeUser;
    boolean exact = safeUser.equals(user);
    return exact ? ResourceNames.fit(name, ResourceNames.LABEL_LIMIT)
        : ResourceNames.fit(name + "-" + Integer.toHexString(user.hashCode()), ResourceNames.LABEL_LIMIT);
  }

  /** The runtime's address inside the cluster. */
  public static String endpoint(DbtDevelopSession session) {
    return "http://" + serviceName(session.getMetadata().getName()) + "." + session.getMetadata().getNamespace()
        + ".svc:" + DevelopConfig.DEFAULT_PORT;
  }

  static Map<String, String> labels(DbtDevelopSession session, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ApiGroup.MANAGED_BY_LABEL, ApiGroup.MANAGED_BY);
    labels.put(ApiGroup.COMPONENT_LABEL, component);
    labels.put(SESSION_LABEL, ResourceNames.fit(session.getMetadata().getName(), ResourceNames.LABEL_LIMIT));
    return labels;
  }

  static ObjectMeta owned(DbtDevelopSession session, String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(session.getMetadata().getNamespace())
        .withLabels(labels(session, COMPONENT))
        .withOwnerReferences(ownedBy(session))
        .build();
  }

  static OwnerReference ownedBy(DbtDevelopSession session) {
    return new OwnerReferenceBuilder()
        .withApiVersion(session.getApiVersion())
        .withKind(session.getKind())
        .withName(session.getMetadata().getName())
        .withUid(session.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  static boolean isOwnedBy(io.fabric8.kubernetes.api.model.HasMetadata object, DbtDevelopSession session) {
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    return owners != null && owners.stream().anyMatch(o -> session.getMetadata().getUid().equals(o.getUid()));
  }

  /** The token the runtime requires of its callers: the API server's proxy reads it from this Secret. */
  static Secret tokenSecret(DbtDevelopSession session) {
    byte[] token = new byte[32];
    new SecureRandom().nextBytes(token);
    return new SecretBuilder()
        .withMetadata(owned(session, tokenSecretName(session.getMetadata().getName())))
        .withType("Opaque")
        // data, not stringData: not every API server (the stand-in included) turns one into the other
        .addToData(TOKEN_KEY, Base64.getEncoder().encodeToString(
            Base64.getUrlEncoder().withoutPadding().encodeToString(token).getBytes(StandardCharsets.US_ASCII)))
        .build();
  }

  /** Not owned by the session: the workspace outlives it. ReadWriteMany, as a user's pods may move between nodes. */
  static PersistentVolumeClaim workspace(DbtDevelopSession session, String project, String size, String storageClass) {
    String user = session.getSpec().user;
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ApiGroup.MANAGED_BY_LABEL, ApiGroup.MANAGED_BY);
    labels.put(ApiGroup.COMPONENT_LABEL, WORKSPACE_COMPONENT);
    return new PersistentVolumeClaimBuilder()
        .withMetadata(new ObjectMetaBuilder()
            .withName(workspaceName(user, project))
            .withNamespace(session.getMetadata().getNamespace())
            .withLabels(labels)
            .withAnnotations(Map.of(WORKSPACE_OWNER_ANNOTATION, user + " in project " + project))
            .build())
        .withNewSpec()
          .withAccessModes("ReadWriteMany")
          .withStorageClassName(storageClass)
          .withNewResources().addToRequests("storage", new Quantity(size)).endResources()
        .endSpec()
        .build();
  }

  static Service service(DbtDevelopSession session) {
    String name = session.getMetadata().getName();
    return new ServiceBuilder()
        .withMetadata(owned(session, serviceName(name)))
        .withNewSpec()
          .withType("ClusterIP")
          .withSelector(Map.of(SESSION_LABEL, ResourceNames.fit(name, ResourceNames.LABEL_LIMIT),
              ApiGroup.COMPONENT_LABEL, COMPONENT))
          .addNewPort().withName("http").withPort(DevelopConfig.DEFAULT_PORT)
            .withTargetPort(new IntOrString(DevelopConfig.DEFAULT_PORT)).endPort()
        .endSpec()
        .build();
  }

  /**
   * @param credentialsSecret the user's development credentials
   * @param gitCredentialsSecret the project's git credentials, null for none
   */
  static Pod pod(DbtDevelopSession session, DevelopConfig config, String image, String workspace,
                 String credentialsSecret, String gitCredentialsSecret) {
    String name = session.getMetadata().getName();
    List<VolumeMount> mounts = new ArrayList<>();
    List<Volume> volumes = new ArrayList<>();
    mounts.add(RunPodFactory.mount("workspace", RuntimeEnv.DEFAULT_WORKSPACE, false));
    volumes.add(new VolumeBuilder().withName("workspace").withNewPersistentVolumeClaim(workspace, false).build());
    mounts.add(RunPodFactory.mount("warehouse", RuntimeEnv.DEFAULT_WAREHOUSE_DIR, true));
    volumes.add(secretVolume("warehouse", credentialsSecret));
    mounts.add(RunPodFactory.mount("token", RuntimeEnv.DEFAULT_DEVELOP_TOKEN_DIR, true));
    volumes.add(secretVolume("token", tokenSecretName(name)));
    List<EnvVar> env = new ArrayList<>(List.of(
        new EnvVar(RuntimeEnv.DEVELOP_CONFIG, config.toJson(), null),
        new EnvVar(RuntimeEnv.WORKSPACE, RuntimeEnv.DEFAULT_WORKSPACE, null),
        new EnvVar(RuntimeEnv.WAREHOUSE_DIR, RuntimeEnv.DEFAULT_WAREHOUSE_DIR, null),
        new EnvVar(RuntimeEnv.DEVELOP_TOKEN_DIR, RuntimeEnv.DEFAULT_DEVELOP_TOKEN_DIR, null),
        new EnvVar("HOME", "/tmp", null),
        new EnvVarBuilder().withName(RuntimeEnv.DEVELOP_BIND)
            .withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().build()));
    if (gitCredentialsSecret != null) {
      mounts.add(RunPodFactory.mount("git-credentials", RuntimeEnv.DEFAULT_GIT_CREDENTIALS_DIR, true));
      volumes.add(secretVolume("git-credentials", gitCredentialsSecret));
      env.add(new EnvVar(RuntimeEnv.GIT_CREDENTIALS_DIR, RuntimeEnv.DEFAULT_GIT_CREDENTIALS_DIR, null));
    }
    mounts.add(RunPodFactory.mount("tmp", "/tmp", false));
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());

    return new PodBuilder()
        .withMetadata(owned(session, podName(name)))
        .withNewSpec()
          .withRestartPolicy("Never")
          .withAutomountServiceAccountToken(false)
          .withEnableServiceLinks(false)
          .withTerminationGracePeriodSeconds(30L)
          .withSecurityContext(RunPodFactory.restrictedPod())
          .withContainers(new ContainerBuilder()
              .withName(CONTAINER)
              .withImage(image)
              .withCommand(COMMAND)
              .withEnv(env)
              .withVolumeMounts(mounts)
              .addNewPort().withName("http").withContainerPort(DevelopConfig.DEFAULT_PORT).endPort()
              .withNewReadinessProbe()
                .withNewHttpGet().withPath("/health").withPort(new IntOrString(DevelopConfig.DEFAULT_PORT)).endHttpGet()
                .withPeriodSeconds(2)
              .endReadinessProbe()
              .withResources(resources(session.getSpec().resources))
              .withSecurityContext(RunPodFactory.restrictedContainer())
              .build())
          .withVolumes(volumes)
        .endSpec()
        .build();
  }

  private static ResourceRequirements resources(ResourceRequirements requested) {
    return requested != null ? requested : new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("250m"))
        .addToRequests("memory", new Quantity("1Gi"))
        .addToLimits("memory", new Quantity("4Gi"))
        .build();
  }

  private static Volume secretVolume(String name, String secretName) {
    return new VolumeBuilder().withName(name)
        .withNewSecret().withSecretName(secretName).withDefaultMode(0400).endSecret()
        .build();
  }
}
