package dev.dbtplatform.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepCommandTest {
  @Test
  void splitsOnWhitespace() {
    assertThat(StepCommand.parse("dbt   build  --select  tag:nightly\t--fail-fast").dbtArgs())
        .containsExactly("build", "--select", "tag:nightly", "--fail-fast");
  }

  @Test
  void singleQuotesKeepEverything() {
    assertThat(StepCommand.parse("dbt run --vars '{\"include_broken\": true}'").dbtArgs())
        .containsExactly("run", "--vars", "{\"include_broken\": true}");
    assertThat(StepCommand.parse("dbt run-operation sleep --args '{seconds: 60}'").dbtArgs())
        .containsExactly("run-operation", "sleep", "--args", "{seconds: 60}");
    assertThat(StepCommand.parse("dbt run --vars 'a \\ $HOME \"b\"'").dbtArgs())
        .containsExactly("run", "--vars", "a \\ $HOME \"b\"");
  }

  @Test
  void doubleQuotesUnescapeQuoteAndBackslash() {
    assertThat(StepCommand.parse("dbt run --vars \"{\\\"day\\\": 'mon'}\" -s \"a b\"").dbtArgs())
        .containsExactly("run", "--vars", "{\"day\": 'mon'}", "-s", "a b");
    assertThat(StepCommand.parse("dbt run --vars \"x\\ny\"").dbtArgs()).containsExactly("run", "--vars", "x\\ny");
  }

  @Test
  void quotedPartsGlueAndEmptyQuotesAreAnArgument() {
    assertThat(StepCommand.parse("dbt run --select=tag:'a b'\"c\" '' x\\ y").dbtArgs())
        .containsExactly("run", "--select=tag:a bc", "", "x y");
  }

  @Test
  void noShell() {
    assertThat(StepCommand.parse("dbt run; rm -rf / && echo $(id) | cat").dbtArgs())
        .containsExactly("run;", "rm", "-rf", "/", "&&", "echo", "$(id)", "|", "cat");
  }

  @Test
  void commandLineStartsWithTheExecutable() {
    assertThat(StepCommand.parse("dbt seed --full-refresh").commandLine("/venv/bin/dbt"))
        .containsExactly("/venv/bin/dbt", "seed", "--full-refresh");
  }

  @Test
  void rejectsWhatIsNotDbt() {
    assertThatThrownBy(() -> StepCommand.parse("ls -la")).hasMessageContaining("must start with \"dbt \"");
    assertThatThrownBy(() -> StepCommand.parse("dbt")).hasMessageContaining("must start with \"dbt \"");
    assertThatThrownBy(() -> StepCommand.parse("dbtx run")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StepCommand.parse(" dbt run")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StepCommand.parse("dbt   ")).hasMessageContaining("must name a dbt command");
    assertThatThrownBy(() -> StepCommand.parse("dbt'' run")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StepCommand.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsUnclosedQuotes() {
    assertThatThrownBy(() -> StepCommand.parse("dbt run --vars '{a: 1}")).hasMessageContaining("unclosed single quote");
    assertThatThrownBy(() -> StepCommand.parse("dbt run --vars \"{a: 1}")).hasMessageContaining("unclosed double quote");
    assertThatThrownBy(() -> StepCommand.parse("dbt run \\")).hasMessageContaining("trailing backslash");
  }

  @Test
  void defersCommandsThatReadState() {
    assertThat(StepCommand.parse("dbt build --select state:modified+").deferringTo("/w/state").dbtArgs())
        .containsExactly("build", "--select", "state:modified+", "--defer", "--state", "/w/state");
    assertThat(StepCommand.parse("dbt docs generate").deferringTo("/w/state").dbtArgs())
        .containsExactly("docs", "generate", "--defer", "--state", "/w/state");
    // the listed command stays what the user wrote, for step names and logs
    assertThat(StepCommand.parse("dbt run").deferringTo("/w/state").command()).isEqualTo("dbt run");
  }

  @Test
  void leavesStatelessCommandsAndOwnStateFlagsAlone() {
    for (String command : List.of("dbt deps", "dbt debug", "dbt clean", "dbt run --state other",
        "dbt run --state=other", "dbt build --defer-state prod", "dbt run --no-defer", "dbt run --defer --state x")) {
      StepCommand parsed = StepCommand.parse(command);
      assertThat(parsed.deferringTo("/w/state")).as(command).isSameAs(parsed);
    }
  }
}
