package dev.dbtplatform.operator.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.crd.DbtDevelopSession;
import dev.dbtplatform.crd.DbtEnvironment;
import dev.dbtplatform.crd.DbtEnvironmentSpec;
import dev.dbtplatform.crd.DbtJob;
import dev.dbtplatform.crd.DbtProject;
import dev.dbtplatform.crd.DbtRun;
import dev.dbtplatform.crd.DbtRunSpec;
import dev.dbtplatform.crd.ObjectRef;
import dev.dbtplatform.crd.ResolvedRun;
import dev.dbtplatform.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample DbtRun under config/samples/ resolves against the sample project, environment and
 * job, and so does a run of the sample job.
 */
class SamplesTest {
  static final Path SAMPLES = Path.of("../config/samples");

  static Stream<Path> runSamples() throws IOException {
    return Files.list(SAMPLES).filter(p -> read(p) instanceof DbtRun).sorted();
  }

  @ParameterizedTest
  @MethodSource("runSamples")
  void sampleRunResolves(Path file) {
    DbtRun run = (DbtRun) read(file);
    run.getMetadata().setNamespace("default");
    assertThat(resolver().resolve(run)).isInstanceOf(Resolution.Resolved.class);
  }

  @Test
  void aRunOfTheSampleJobResolvesToTheJobsStepsInItsEnvironment() {
    DbtRunSpec spec = new DbtRunSpec();
    spec.jobRef = ObjectRef.named("shop-nightly");
    Resolution resolution = resolver().resolve(new DbtRun("default", "nightly-1", spec));

    assertThat(resolution).isInstanceOf(Resolution.Resolved.class);
    ResolvedRun resolved = ((Resolution.Resolved) resolution).run();
    assertThat(resolved.jobName).isEqualTo("shop-nightly");
    assertThat(resolved.environmentName).isEqualTo("production");
    assertThat(resolved.steps).containsExactly("dbt seed", "dbt build");
  }

  @Test
  void aRunOfTheCiSampleDefersToTheNightlyJobAndRunsBothCheckboxSteps() {
    DbtRunSpec spec = new DbtRunSpec();
    spec.jobRef = ObjectRef.named("shop-ci");
    Resolution resolution = resolver().resolve(new DbtRun("default", "ci-1", spec));

    assertThat(resolution).isInstanceOf(Resolution.Resolved.class);
    ResolvedRun resolved = ((Resolution.Resolved) resolution).run();
    assertThat(resolved.steps).containsExactly("dbt build --select state:modified+");
    assertThat(resolved.runGenerateSources).isTrue();
    assertThat(resolved.generateDocs).isTrue();
    assertThat(resolved.deferral.description).contains("DbtJob 'shop-nightly'");
  }

  @Test
  void theSampleDevelopSessionNamesTheDevelopmentEnvironmentAndItsCredentials() {
    DbtDevelopSession session = (DbtDevelopSession) only(DbtDevelopSession.class);
    DbtEnvironment environment = all(DbtEnvironment.class).stream().map(DbtEnvironment.class::cast)
        .filter(e -> e.getMetadata().getName().equals(session.getSpec().environmentRef.name)).findFirst().orElseThrow();
    assertThat(environment.getSpec().type).isEqualTo(DbtEnvironmentSpec.Type.development);
    assertThat(all(Secret.class)).extracting(s -> s.getMetadata().getName())
        .contains(session.getSpec().credentialsSecretRef.name);
  }

  @Test
  void everySampleJobNamesARealEnvironment() {
    assertThat(all(DbtJob.class)).extracting(j -> ((DbtJob) j).getSpec().environmentRef.name).containsOnly("production");
  }

  private static RunResolver resolver() {
    DbtProject project = (DbtProject) only(DbtProject.class);
    List<DbtEnvironment> environments = all(DbtEnvironment.class).stream().map(DbtEnvironment.class::cast).toList();
    List<DbtJob> jobs = all(DbtJob.class).stream().map(DbtJob.class::cast).toList();
    return new RunResolver(OperatorConfig.defaults(),
        (ns, name) -> Optional.of(project).filter(p -> p.getMetadata().getName().equals(name)),
        (ns, name) -> environments.stream().filter(e -> e.getMetadata().getName().equals(name)).findFirst(),
        (ns, name) -> jobs.stream().filter(j -> j.getMetadata().getName().equals(name)).findFirst(),
        ns -> jobs,
        Clock.systemUTC());
  }

  private static HasMetadata only(Class<?> type) {
    List<HasMetadata> found = all(type);
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static List<HasMetadata> all(Class<?> type) {
    try (Stream<Path> files = Files.list(SAMPLES)) {
      return files.map(SamplesTest::read).filter(type::isInstance).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static HasMetadata read(Path file) {
    try {
      String yaml = Files.readString(file);
      String kind = Serialization.unmarshal(yaml, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class).getKind();
      return switch (kind) {
        case "DbtRun" -> Serialization.unmarshal(yaml, DbtRun.class);
        case "DbtProject" -> Serialization.unmarshal(yaml, DbtProject.class);
        case "DbtEnvironment" -> Serialization.unmarshal(yaml, DbtEnvironment.class);
        case "DbtJob" -> Serialization.unmarshal(yaml, DbtJob.class);
        case "DbtDevelopSession" -> Serialization.unmarshal(yaml, DbtDevelopSession.class);
        default -> Serialization.unmarshal(yaml);
      };
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
