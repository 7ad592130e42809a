package dev.dbtplatform.develop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git endpoints against a real remote: a bare repository on this machine. */
class GitApiTest {
  @TempDir
  Path dir;
  Fixtures.Remote remote;
  Session session;
  Api api;

  @BeforeEach
  void start() throws Exception {
    remote = Fixtures.Remote.create(dir.resolve("remote"));
    session = Session.start(dir.resolve("grace"), "Grace Hopper", remote, null, "dev_grace");
    api = session.api;
  }

  @AfterEach
  void stop() {
    session.close();
  }

  @Test
  void theFirstStartClonesTheRemoteWithItsBranchesAndHistory() {
    Api.Response status = api.get("/git/status");
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.get("branch").asText()).isEqualTo("main");
    assertThat(status.get("upstream").asText()).isEqualTo("origin/main");
    assertThat(status.get("head").asText()).isEqualTo(Fixtures.git(remote.bare(), "rev-parse", "main"));
    assertThat(status.get("files")).isEmpty();
    assertThat(Fixtures.git(session.checkout(), "rev-parse", "--is-shallow-repository")).isEqualTo("false");
    assertThat(Fixtures.git(session.checkout(), "config", "--get", "remote.origin.fetch")).isEqualTo("+refs/heads/*:refs/remotes/origin/*");
  }

  @Test
  void statusAndDiffShowUncommittedWork() throws Exception {
    api.writeFile("models/marts/orders.sql", "select 1 as changed\n");
    api.writeFile("models/new_model.sql", "select 2 as brand_new\n");
    api.delete("/files?path=models/staging/stg_payments.sql");

    JsonNode files = api.get("/git/status").get("files");
    assertThat(states(files)).containsExactlyInAnyOrder(
        "models/marts/orders.sql=modified", "models/new_model.sql=untracked", "models/staging/stg_payments.sql=deleted");

    String diff = api.get("/git/diff").get("diff").asText();
    assertThat(diff).contains("+select 1 as changed", "+select 2 as brand_new", "deleted file mode");
    Api.Response one = api.get("/git/diff?path=models/new_model.sql");
    assertThat(one.get("diff").asText()).contains("+select 2 as brand_new").doesNotContain("changed");
    assertThat(one.get("path").asText()).isEqualTo("models/new_model.sql");
    assertThat(api.get("/git/diff?path=../x").status()).isEqualTo(400);
  }

  @Test
  void commitAndPushLandInTheRemoteAuthoredByTheUser() throws Exception {
    api.writeFile("models/new_model.sql", "select 1 as id\n");
    api.writeFile("README.md", "changed too\n");

    Api.Response commit = api.post("/git/commit", Api.json("message", "Add new_model", "paths", List.of("models/new_model.sql")));
    assertThat(commit.status()).isEqualTo(201);
    String sha = commit.get("sha").asText();
    assertThat(commit.get("branch").asText()).isEqualTo("main");
    // Only the given path was committed; the README change is still uncommitted.
    assertThat(states(api.get("/git/status").get("files"))).containsExactly("README.md=modified");
    assertThat(api.get("/git/status").get("ahead").asInt()).isEqualTo(1);

    Api.Response push = api.post("/git/push");
    assertThat(push.status()).isEqualTo(200);
    assertThat(Fixtures.git(remote.bare(), "rev-parse", "main")).isEqualTo(sha);
    assertThat(remote.log("main").lines().findFirst().orElseThrow()).isEqualTo("Grace Hopper <grace.hopper@example.com>|Add new_model");
    assertThat(Fixtures.git(remote.bare(), "show", "main:models/new_model.sql")).isEqualTo("select 1 as id");

    Api.Response all = api.post("/git/commit", Api.json("message", "Update the README"));
    assertThat(all.status()).isEqualTo(201);
    assertThat(api.get("/git/status").get("files")).isEmpty();
    Api.Response nothing = api.post("/git/commit", Api.json("message", "Nothing"));
    assertThat(nothing.status()).isEqualTo(409);
    assertThat(nothing.errorCode()).isEqualTo("nothing_to_commit");
    assertThat(api.post("/git/commit", Api.json("message", " ")).status()).isEqualTo(400);
  }

  @Test
  void branchesAreCreatedSwitchedListedAndPushedWithAnUpstream() throws Exception {
    Api.Response created = api.post("/git/branches", Api.json("name", "feature/orders"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.get("branch").asText()).isEqualTo("feature/orders");

    api.writeFile("models/feature.sql", "select 1 as feature\n");
    api.post("/git/commit", Api.json("message", "Feature work"));
    assertThat(api.post("/git/pull").errorCode()).isEqualTo("no_upstream");
    assertThat(api.post("/git/push").status()).isEqualTo(200);
    assertThat(remote.log("feature/orders").lines().findFirst().orElseThrow()).endsWith("|Feature work");
    assertThat(api.get("/git/status").get("upstream").asText()).isEqualTo("origin/feature/orders");

    Api.Response switched = api.post("/git/switch", Api.json("branch", "main"));
    assertThat(switched.status()).isEqualTo(200);
    assertThat(switched.get("branch").asText()).isEqualTo("main");
    assertThat(session.checkout().resolve("models/feature.sql")).doesNotExist();

    Api.Response notSwitched = api.post("/git/branches", Api.json("name", "later", "switch", false));
    assertThat(notSwitched.status()).isEqualTo(201);
    assertThat(notSwitched.get("branch").asText()).isEqualTo("main");
    Api.Response fromFeature = api.post("/git/branches", Api.json("name", "from-feature", "from", "origin/feature/orders"));
    assertThat(fromFeature.get("branch").asText()).isEqualTo("from-feature");
    assertThat(session.checkout().resolve("models/feature.sql")).exists();

    JsonNode branches = api.get("/git/branches").json();
    assertThat(branches.path("current").asText()).isEqualTo("from-feature");
    List<String> local = new ArrayList<>();
    branches.path("local").forEach(b -> local.add(b.path("name").asText()));
    assertThat(local).containsExactlyInAnyOrder("main", "feature/orders", "later", "from-feature");
    List<String> remoteBranches = new ArrayList<>();
    branches.path("remote").forEach(b -> remoteBranches.add(b.path("name").asText()));
    assertThat(remoteBranches).contains("origin/main", "origin/feature/orders").doesNotContain("origin/HEAD");

    assertThat(api.post("/git/branches", Api.json("name", "main")).status()).isEqualTo(409);
    assertThat(api.post("/git/branches", Api.json("name", "bad..name")).errorCode()).isEqualTo("invalid_branch_name");
    assertThat(api.post("/git/branches", Api.json("name", "--force")).errorCode()).isEqualTo("invalid_branch_name");
    Api.Response missing = api.post("/git/switch", Api.json("branch", "does-not-exist"));
    assertThat(missing.status()).isEqualTo(409);
    assertThat(missing.errorCode()).isEqualTo("git_failed");
    assertThat(missing.get("error").path("message").asText()).contains("does-not-exist");
  }

  @Test
  void aBranchSomeoneElsePushedCanBeFetchedAndSwitchedTo() throws Exception {
    Path other = dir.resolve("other-clone");
    Fixtures.git(dir, "clone", "--quiet", remote.bare().toString(), other.toString());
    Fixtures.git(other, "switch", "--quiet", "-c", "colleague/idea");
    Files.writeString(other.resolve("models/idea.sql"), "select 42 as idea\n");
    Fixtures.git(other, "add", "--all");
    Fixtures.git(other, "commit", "--quiet", "-m", "An idea");
    Fixtures.git(other, "push", "--quiet", "origin", "colleague/idea");

    List<String> remoteBranches = new ArrayList<>();
    api.get("/git/branches?fetch=true").get("remote").forEach(b -> remoteBranches.add(b.path("name").asText()));
    assertThat(remoteBranches).contains("origin/colleague/idea");
    assertThat(api.post("/git/switch", Api.json("branch", "colleague/idea")).status()).isEqualTo(200);
    assertThat(api.readFile("models/idea.sql").get("content").asText()).isEqualTo("select 42 as idea\n");
  }

  @Test
  void pullMergesWhatOthersPushedAndARejectedPushIs409() throws Exception {
    Path other = dir.resolve("other-clone");
    Fixtures.git(dir, "clone", "--quiet", remote.bare().toString(), other.toString());
    Files.writeString(other.resolve("models/theirs.sql"), "select 'theirs' as who\n");
    Fixtures.git(other, "add", "--all");
    Fixtures.git(other, "commit", "--quiet", "-m", "Their change");
    Fixtures.git(other, "push", "--quiet", "origin", "main");

    api.writeFile("models/mine.sql", "select 'mine' as who\n");
    api.post("/git/commit", Api.json("message", "My change"));
    Api.Response rejected = api.post("/git/push");
    assertThat(rejected.status()).isEqualTo(409);
    assertThat(rejected.errorCode()).isEqualTo("git_failed");
    assertThat(rejected.get("error").path("message").asText()).contains("rejected");

    Api.Response pulled = api.post("/git/pull");
    assertThat(pulled.status()).isEqualTo(200);
    assertThat(session.checkout().resolve("models/theirs.sql")).exists();
    assertThat(api.post("/git/push").status()).isEqualTo(200);
    assertThat(remote.log("main")).contains("|My change", "|Their change");
  }

  @Test
  void discardThrowsAwayChangesOfSomePathsOrOfEverything() throws Exception {
    String original = Files.readString(session.checkout().resolve("models/marts/orders.sql"));
    api.writeFile("models/marts/orders.sql", "select 'edited' as x\n");
    api.writeFile("models/marts/customers.sql", "select 'edited too' as x\n");
    api.writeFile("models/untracked/new.sql", "select 'new' as x\n");
    api.delete("/files?path=models/staging/stg_orders.sql");
    Files.createDirectories(session.checkout().resolve("target"));
    Files.writeString(session.checkout().resolve("target/kept.json"), "{}"); // ignored: never discarded

    Api.Response some = api.post("/git/discard", Api.json("paths", List.of("models/marts/orders.sql", "models/untracked")));
    assertThat(some.status()).isEqualTo(200);
    assertThat(Files.readString(session.checkout().resolve("models/marts/orders.sql"))).isEqualTo(original);
    assertThat(session.checkout().resolve("models/untracked")).doesNotExist();
    assertThat(states(api.get("/git/status").get("files"))).containsExactlyInAnyOrder(
        "models/marts/customers.sql=modified", "models/staging/stg_orders.sql=deleted");

    assertThat(api.post("/git/discard", "{}").status()).isEqualTo(400);
    Api.Response all = api.post("/git/discard", Api.json("all", true));
    assertThat(all.status()).isEqualTo(200);
    assertThat(api.get("/git/status").get("files")).isEmpty();
    assertThat(session.checkout().resolve("models/staging/stg_orders.sql")).exists();
    assertThat(session.checkout().resolve("target/kept.json")).exists();
  }

  private static List<String> states(JsonNode files) {
    List<String> states = new ArrayList<>();
    files.forEach(f -> states.add(f.path("path").asText() + "=" + f.path("state").asText()));
    return states;
  }
}
