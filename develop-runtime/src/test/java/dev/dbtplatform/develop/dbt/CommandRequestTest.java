package dev.dbtplatform.develop.dbt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.develop.DevelopException;
import org.junit.jupiter.api.Test;

class CommandRequestTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static CommandRequest parse(String json) throws Exception {
    return CommandRequest.fromJson(JSON.readTree(json));
  }

  @Test
  void fieldsBecomeDbtArguments() throws Exception {
    assertThat(parse("{\"command\": \"build\", \"select\": [\"orders+\", \"tag:nightly\"], \"exclude\": \"customers\","
        + " \"full_refresh\": true, \"vars\": {\"a\": 1}}").dbtArgs())
        .containsExactly("build", "--select", "orders+ tag:nightly", "--exclude", "customers", "--full-refresh",
            "--vars", "{\"a\":1}");
    assertThat(parse("{\"command\": \"run-operation\", \"macro\": \"sleep\", \"args\": {\"seconds\": 60}}").dbtArgs())
        .containsExactly("run-operation", "sleep", "--args", "{\"seconds\":60}");
    assertThat(parse("{\"command\": \"source freshness\"}").dbtArgs()).containsExactly("source", "freshness");
    assertThat(parse("{\"command\": \"seed\", \"full_refresh\": false}").dbtArgs()).containsExactly("seed");
    assertThat(parse("{\"command\": \"run\", \"select\": \"a b\"}").commandLine()).isEqualTo("dbt run --select 'a b'");
  }

  @Test
  void nothingButDbtsOwnCommandsAndOptions() {
    for (String json : new String[] {"{}", "{\"command\": \"shell\"}", "{\"command\": \"build --profiles-dir /x\"}",
        "{\"command\": \"build\", \"select\": \"--target prod\"}", "{\"command\": \"build\", \"select\": \"a -x\"}",
        "{\"command\": \"build\", \"profiles_dir\": \"/x\"}", "{\"command\": \"test\", \"full_refresh\": true}",
        "{\"command\": \"deps\", \"select\": \"a\"}", "{\"command\": \"run-operation\"}",
        "{\"command\": \"run-operation\", \"macro\": \"a b\"}", "{\"command\": \"build\", \"vars\": \"a: 1\"}",
        "{\"command\": \"build\", \"select\": 3}", "{\"command\": \"build\", \"full_refresh\": \"yes\"}",
        "{\"command\": \"build\", \"selector\": \"-x\"}"}) {
      assertThatThrownBy(() -> parse(json)).as(json).isInstanceOf(DevelopException.class)
          .satisfies(e -> assertThat(((DevelopException) e).kind()).isEqualTo(DevelopException.Kind.INVALID));
    }
  }
}
