package dev.dbtplatform.flush;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dbtplatform.contract.ObjectKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunVolumeScannerTest {
  static final String PREFIX = ObjectKeys.runPrefix("", "7", "ns", "run", "uid-1");
  @TempDir Path tmp;

  @Test
  void mapsLogsArtifactsAndSummaryToContractKeysInUploadOrder() throws IOException {
    RunVolume volume = new RunVolume(tmp.resolve("ws"));
    volume.writeTypicalRun();
    volume.write("logs/step-10.log", "ten");

    List<UploadItem> items = RunVolumeScanner.scan(volume.root, PREFIX);

    assertThat(items).extracting(UploadItem::key).containsExactly(
        ObjectKeys.stepLog(PREFIX, 1),
        ObjectKeys.stepLog(PREFIX, 2),
        ObjectKeys.stepLog(PREFIX, 3),
        ObjectKeys.stepLog(PREFIX, 4),
        ObjectKeys.stepLog(PREFIX, 10),
        ObjectKeys.stepArtifact(PREFIX, 3, "manifest.json"),
        ObjectKeys.stepArtifact(PREFIX, 4, "manifest.json"),
        ObjectKeys.stepArtifact(PREFIX, 4, "run_results.json"),
        ObjectKeys.summary(PREFIX));
    assertThat(items).allSatisfy(item -> {
      assertThat(item.file()).startsWith(volume.root);
      assertThat(item.file().toString()).doesNotContain("/project/");
      assertThat(item.size()).isEqualTo(Files.size(item.file()));
    });
    assertThat(items.get(4).file()).isEqualTo(volume.root.resolve("logs/step-10.log"));
  }

  @Test
  void ignoresTheCheckoutStrayNamesNestedFoldersAndLinks() throws IOException {
    RunVolume volume = new RunVolume(tmp.resolve("ws"));
    volume.write("project/logs/step-1.log", "checkout");
    volume.write("project/run-summary.json", "{}");
    volume.write("logs/step-0.log", "no step 0");
    volume.write("logs/step-01.log", "not a canonical index");
    volume.write("logs/step-x.log", "no index");
    volume.write("logs/step-2.log.bak", "backup");
    volume.write("artifacts/step-2/nested/deep.json", "{}");
    volume.write("artifacts/other/run_results.json", "{}");
    Path secret = volume.write("../outside/secret.txt", "do not upload");
    Files.createDirectories(volume.root.resolve("artifacts/step-5"));
    Files.createSymbolicLink(volume.root.resolve("artifacts/step-5/link.json"), secret);
    Files.createSymbolicLink(volume.root.resolve("logs/step-3.log"), secret);
    Files.createSymbolicLink(volume.root.resolve("artifacts/step-6"), secret.getParent());
    Files.createDirectories(volume.root.resolve("logs/step-4.log"));

    assertThat(RunVolumeScanner.scan(volume.root, PREFIX)).isEmpty();
  }

  @Test
  void missingOrEmptyWorkspaceHasNothing() throws IOException {
    assertThat(RunVolumeScanner.scan(tmp.resolve("missing"), PREFIX)).isEmpty();
    Files.createDirectories(tmp.resolve("empty"));
    assertThat(RunVolumeScanner.scan(tmp.resolve("empty"), PREFIX)).isEmpty();
    Files.writeString(tmp.resolve("file"), "a file, not a folder");
    assertThat(RunVolumeScanner.scan(tmp.resolve("file"), PREFIX)).isEmpty();
  }
}
