package dev.dbtplatform.local.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvResolverTest {
  private static final Map<String, String> VARS = Map.of("A", "alpha", "B", "beta");

  @Test
  void expandsReferencesAsKubernetesDoes() {
    assertThat(EnvResolver.expand("$(A)", VARS)).isEqualTo("alpha");
    assertThat(EnvResolver.expand("x-$(A)-$(B)-y", VARS)).isEqualTo("x-alpha-beta-y");
    assertThat(EnvResolver.expand("$(MISSING)", VARS)).isEqualTo("$(MISSING)");
    assertThat(EnvResolver.expand("$$(A)", VARS)).isEqualTo("$(A)");
    assertThat(EnvResolver.expand("$$$(A)", VARS)).isEqualTo("$alpha");
    assertThat(EnvResolver.expand("cost $5 and $HOME", VARS)).isEqualTo("cost $5 and $HOME");
    assertThat(EnvResolver.expand("$(A", VARS)).isEqualTo("$(A");
    assertThat(EnvResolver.expand("end$", VARS)).isEqualTo("end$");
    assertThat(EnvResolver.expand("$((n+1))", VARS)).isEqualTo("$((n+1))");
    assertThat(EnvResolver.expand("$()", VARS)).isEqualTo("$()");
  }

  @Test
  void resolvesValuesSecretsConfigMapsAndFields() throws Exception {
    MapLookup lookup = new MapLookup()
        .secret(new SecretBuilder().withNewMetadata().withName("creds").withNamespace("ns").endMetadata()
            .addToData("access-key-id", b64("AKIA")).addToStringData("plain", "text").build())
        .configMap(new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("ns").endMetadata()
            .addToData("level", "debug").addToData("bad=name", "skipped").build());
    Container c = new ContainerBuilder().withName("c")
        .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef("settings", false).endEnvFrom()
        .addToEnv(new EnvVarBuilder().withName("GREETING").withValue("hello").build())
        .addToEnv(new EnvVarBuilder().withName("MESSAGE").withValue("$(GREETING) $(POD_NAME) $(CFG_level)").build())
        .addToEnv(new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("LATER").withValue("$(POD_NAME)").build())
        .addToEnv(new EnvVarBuilder().withName("KEY").withNewValueFrom().withNewSecretKeyRef("access-key-id", "creds", false).endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("PLAIN").withNewValueFrom().withNewSecretKeyRef("plain", "creds", null).endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("OPT").withNewValueFrom().withNewSecretKeyRef("nope", "missing", true).endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("LEVEL").withNewValueFrom().withNewConfigMapKeyRef("level", "settings", false).endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("APP").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.labels['app']").endFieldRef().endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP").endFieldRef().endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("NODE").withNewValueFrom().withNewFieldRef().withFieldPath("spec.nodeName").endFieldRef().endValueFrom().build())
        .addToEnv(new EnvVarBuilder().withName("MEM").withNewValueFrom().withNewResourceFieldRef().withResource("limits.memory")
            .withDivisor(new Quantity("1Mi")).endResourceFieldRef().endValueFrom().build())
        .withNewResources().addToLimits("memory", new Quantity("512Mi")).endResources()
        .build();
    Pod pod = pod(c);

    LinkedHashMap<String, String> env = new EnvResolver(lookup).podEnv(pod, c);

    assertThat(env)
        .containsEntry("CFG_level", "debug")
        .doesNotContainKey("CFG_bad=name")
        .containsEntry("MESSAGE", "hello $(POD_NAME) debug")
        .containsEntry("POD_NAME", "p")
        .containsEntry("LATER", "p")
        .containsEntry("KEY", "AKIA")
        .containsEntry("PLAIN", "text")
        .doesNotContainKey("OPT")
        .containsEntry("LEVEL", "debug")
        .containsEntry("APP", "demo")
        .containsEntry("IP", PodAddresses.of(pod))
        .containsEntry("NODE", "local-node")
        .containsEntry("MEM", "512");
  }

  @Test
  void missingNonOptionalSecretOrKeyIsAConfigError() {
    MapLookup lookup = new MapLookup().secret(new SecretBuilder().withNewMetadata().withName("creds").withNamespace("ns")
        .endMetadata().addToData("a", b64("x")).build());
    Container missingSecret = new ContainerBuilder().withName("c")
        .addToEnv(new EnvVarBuilder().withName("K").withNewValueFrom().withNewSecretKeyRef("a", "nope", null).endValueFrom().build())
        .build();
    Container missingKey = new ContainerBuilder().withName("c")
        .addToEnv(new EnvVarBuilder().withName("K").withNewValueFrom().withNewSecretKeyRef("b", "creds", false).endValueFrom().build())
        .build();
    Container missingEnvFrom = new ContainerBuilder().withName("c")
        .addNewEnvFrom().withNewSecretRef("absent", false).endEnvFrom().build();

    EnvResolver resolver = new EnvResolver(lookup);
    assertThatThrownBy(() -> resolver.podEnv(pod(missingSecret), missingSecret))
        .isInstanceOf(PodConfigException.class).hasMessage("secret \"nope\" not found");
    assertThatThrownBy(() -> resolver.podEnv(pod(missingKey), missingKey))
        .isInstanceOf(PodConfigException.class).hasMessage("couldn't find key b in Secret ns/creds");
    assertThatThrownBy(() -> resolver.podEnv(pod(missingEnvFrom), missingEnvFrom))
        .isInstanceOf(PodConfigException.class).hasMessage("secret \"absent\" not found");
  }

  @Test
  void processEnvPutsBinFirstAndLetsThePodOverride() {
    LocalNodeConfig config = LocalNodeConfig.defaults(Path.of("/tmp/node-root"))
        .withExtraPath(List.of(Path.of("/opt/extra")))
        .withExtraEnv(Map.of("FROM_NODE", "n", "SHARED", "node"));
    Map<String, String> env = EnvResolver.processEnv(Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/me", "SHARED", "jvm"),
        config, "p", Map.of("SHARED", "pod", "OWN", "1"));

    assertThat(env.get("PATH")).isEqualTo("/tmp/node-root/bin:/opt/extra:/usr/bin:/bin");
    assertThat(env).containsEntry("HOME", "/home/me").containsEntry("FROM_NODE", "n")
        .containsEntry("SHARED", "pod").containsEntry("OWN", "1").containsEntry("HOSTNAME", "p");
  }

  private static Pod pod(Container c) {
    return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u-1")
        .addToLabels("app", "demo").endMetadata()
        .withNewSpec().withNodeName("local-node").withContainers(c).endSpec().build();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
