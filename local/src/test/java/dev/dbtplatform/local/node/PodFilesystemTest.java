package dev.dbtplatform.local.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodFilesystemTest {
  @TempDir
  Path root;

  private final MapLookup lookup = new MapLookup()
      .secret(new SecretBuilder().withNewMetadata().withName("warehouse").withNamespace("ns").endMetadata()
          .addToData("profiles.yml", Base64.getEncoder().encodeToString("target: dev\n".getBytes(StandardCharsets.UTF_8)))
          .addToStringData("password", "s3cret")
          .build())
      .configMap(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("ns").endMetadata()
          .addToData("a.txt", "A").addToBinaryData("b.bin", Base64.getEncoder().encodeToString(new byte[] {1, 2}))
          .build());

  @Test
  void mapsVolumesToFoldersAndContainerPathsToLocalPaths() throws Exception {
    Container c = new ContainerBuilder().withName("dbt").withWorkingDir("/workspace/project")
        .addNewVolumeMount().withName("workspace").withMountPath("/workspace").endVolumeMount()
        .addNewVolumeMount().withName("warehouse").withMountPath("/etc/dbt-platform/warehouse").withReadOnly(true).endVolumeMount()
        .addNewVolumeMount().withName("settings").withMountPath("/etc/settings").endVolumeMount()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .addNewVolumeMount().withName("workspace").withMountPath("/logs").withSubPath("logs").endVolumeMount()
        .build();
    Pod pod = pod(c,
        new VolumeBuilder().withName("workspace").withNewPersistentVolumeClaim("claim", false).build(),
        new VolumeBuilder().withName("warehouse").withNewSecret().withSecretName("warehouse").withDefaultMode(0400).endSecret().build(),
        new VolumeBuilder().withName("settings").withNewConfigMap().withName("settings")
            .withItems(new KeyToPath("a.txt", null, "sub/renamed.txt")).endConfigMap().build(),
        new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    LocalNodeConfig config = LocalNodeConfig.defaults(root);

    PodFilesystem.Prepared prepared = new PodFilesystem(config, lookup).prepare(pod);
    PathMapper mapper = prepared.mapperFor(c, Map.of());

    Path claim = config.claimDir("ns", "claim");
    Path runDir = config.podDir("ns", "p").resolve("run-uid-1");
    assertThat(prepared.volumes.get("workspace")).isEqualTo(claim);
    assertThat(mapper.map("/workspace/out.txt")).isEqualTo(claim.resolve("out.txt").toString());
    assertThat(mapper.map("/logs/a.log")).isEqualTo(claim.resolve("logs/a.log").toString());
    assertThat(claim.resolve("logs")).isDirectory();
    assertThat(mapper.map("/dev/termination-log")).isEqualTo(runDir.resolve("termination/dbt").toString());
    assertThat(runDir.resolve("termination/dbt")).exists();

    Path warehouse = Path.of(mapper.map("/etc/dbt-platform/warehouse"));
    assertThat(warehouse).isEqualTo(runDir.resolve("volumes/warehouse"));
    assertThat(warehouse.resolve("profiles.yml")).hasContent("target: dev");
    assertThat(warehouse.resolve("password")).hasContent("s3cret");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(warehouse.resolve("password")))).isEqualTo("r--------");

    Path settings = Path.of(mapper.map("/etc/settings"));
    assertThat(settings.resolve("sub/renamed.txt")).hasContent("A");
    assertThat(settings.resolve("b.bin")).doesNotExist();

    assertThat(prepared.workingDir(c, mapper)).isEqualTo(claim.resolve("project")).isDirectory();
    Container noWorkDir = new ContainerBuilder().withName("x").withWorkingDir("/app").build();
    assertThat(prepared.workingDir(noWorkDir, mapper)).isEqualTo(runDir.resolve("rootfs/app"));

    new PodFilesystem(config, lookup).release(pod);
    assertThat(runDir).doesNotExist();
    assertThat(claim).isDirectory();
  }

  @Test
  void optionalMissingSecretIsEmptyAndNonOptionalIsAnError() throws Exception {
    Container c = new ContainerBuilder().withName("c").build();
    Pod optional = pod(c, new VolumeBuilder().withName("s").withNewSecret().withSecretName("absent").withOptional(true).endSecret().build());
    PodFilesystem.Prepared prepared = new PodFilesystem(LocalNodeConfig.defaults(root), lookup).prepare(optional);
    assertThat(prepared.volumes.get("s")).isEmptyDirectory();

    Pod required = pod(c, new VolumeBuilder().withName("s").withNewSecret().withSecretName("absent").endSecret().build());
    assertThatThrownBy(() -> new PodFilesystem(LocalNodeConfig.defaults(root), lookup).prepare(required))
        .isInstanceOf(PodConfigException.class).hasMessage("secret \"absent\" not found");

    Pod missingKey = pod(c, new VolumeBuilder().withName("s").withNewSecret().withSecretName("warehouse")
        .withItems(new KeyToPath("nope", null, "x")).endSecret().build());
    assertThatThrownBy(() -> new PodFilesystem(LocalNodeConfig.defaults(root), lookup).prepare(missingKey))
        .isInstanceOf(PodConfigException.class).hasMessage("couldn't find key nope in Secret ns/warehouse");

    Pod escaping = pod(c, new VolumeBuilder().withName("s").withNewSecret().withSecretName("warehouse")
        .withItems(new KeyToPath("password", null, "../../escape")).endSecret().build());
    assertThatThrownBy(() -> new PodFilesystem(LocalNodeConfig.defaults(root), lookup).prepare(escaping))
        .isInstanceOf(PodConfigException.class);
  }

  @Test
  void unsupportedVolumeIsAConfigError() {
    Container c = new ContainerBuilder().withName("c").build();
    Pod pod = pod(c, new VolumeBuilder().withName("nfs").withNewNfs().withServer("x").withPath("/").endNfs().build());
    assertThatThrownBy(() -> new PodFilesystem(LocalNodeConfig.defaults(root), lookup).prepare(pod))
        .isInstanceOf(PodConfigException.class).hasMessageContaining("supported by the local node");
  }

  private static Pod pod(Container c, io.fabric8.kubernetes.api.model.Volume... volumes) {
    return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("uid-1").endMetadata()
        .withNewSpec().withContainers(c).withVolumes(volumes).endSpec().build();
  }
}
