package dev.dbtplatform.develop.lineage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dbtplatform.develop.DevelopException;
import dev.dbtplatform.develop.dbt.DbtCompiler;
import dev.dbtplatform.develop.dbt.DbtLauncher;
import dev.dbtplatform.develop.dbt.ProjectLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Lineage from target/manifest.json: the project's nodes and their dependencies, whole or around
 * one node. The manifest is parsed again first when it is missing or older than a project file,
 * so an edit shows up; when dbt is busy or the project does not parse, the last manifest is used
 * and the answer says it is stale.
 */
public final class LineageService {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Set<String> DEFAULT_TYPES = Set.of("model", "seed", "snapshot", "source", "exposure", "metric",
      "semantic_model", "saved_query", "analysis");
  static final Set<String> TEST_TYPES = Set.of("test", "unit_test");

  /**
   * @param path the defining file relative to the checkout (as the file endpoints name it), null
   *     for a node of an installed package
   */
  public record Node(String uniqueId, String name, String resourceType, String packageName, String path) {}

  public record Edge(String parent, String child) {}

  /**
   * @param focus the node the lineage is around, null for the whole project
   * @param stale whether the manifest may not reflect the latest edits, and {@code staleReason} why
   * @param manifestAt when the manifest was written
   */
  public record Lineage(String focus, List<Node> nodes, List<Edge> edges, boolean stale, String staleReason,
      Instant manifestAt) {}

  private final DbtLauncher launcher;
  private final DbtCompiler compiler;
  private final String projectPath;
  private Cached cached;

  private record Cached(Path file, FileTime modified, long size, ManifestGraph graph) {}

  /** @param projectPath the dbt project's folder relative to the checkout, "" for its root */
  public LineageService(DbtLauncher launcher, DbtCompiler compiler, String projectPath) {
    this.launcher = launcher;
    this.compiler = compiler;
    this.projectPath = projectPath;
  }

  /**
   * @param model a model's (or seed's, source table's...) name to center on, or null
   * @param uniqueId a node's unique_id to center on, or null
   * @param depth how many steps up and down from the center, null for all
   * @param tests whether data tests and unit tests are nodes too
   */
  public Lineage lineage(String model, String uniqueId, Integer depth, boolean tests) {
    if (depth != null && depth < 0) {
      throw DevelopException.invalid("invalid_depth", "\"depth\" must be 0 or more.");
    }
    Path manifest = ProjectLayout.targetDir(launcher.projectDir(), launcher.configuredEnv()).resolve("manifest.json");
    String staleReason = refresh(manifest);
    if (!Files.isRegularFile(manifest)) {
      throw DevelopException.conflict("no_manifest", "dbt did not write a manifest; run dbt parse and look at its output.");
    }
    ManifestGraph graph = load(manifest);
    Set<String> types = new HashSet<>(DEFAULT_TYPES);
    if (tests) {
      types.addAll(TEST_TYPES);
    }
    String focus = focus(graph, model, uniqueId);
    Set<String> included = new LinkedHashSet<>();
    if (focus == null) {
      graph.nodes.keySet().stream().filter(id -> graph.contains(id, types)).forEach(included::add);
    } else {
      included.add(focus);
      included.addAll(walk(graph, focus, graph::parentsOf, types, depth));
      included.addAll(walk(graph, focus, graph::childrenOf, types, depth));
    }
    List<Node> nodes = included.stream().map(graph.nodes::get).map(n -> node(graph, n))
        .sorted(Comparator.comparing(Node::uniqueId)).toList();
    List<Edge> edges = new ArrayList<>();
    for (String child : included) {
      for (String parent : graph.parentsOf(child)) {
        if (included.contains(parent)) {
          edges.add(new Edge(parent, child));
        }
      }
    }
    edges.sort(Comparator.comparing(Edge::parent).thenComparing(Edge::child));
    return new Lineage(focus, nodes, edges, staleReason != null, staleReason, modified(manifest));
  }

  /** Parses when the manifest is missing or old. @return why the manifest is stale, null when it is not */
  private String refresh(Path manifest) {
    if (Files.isRegularFile(manifest) && !modified(manifest).isBefore(newestProjectFile(manifest.getParent()))) {
      return null;
    }
    try {
      compiler.parse(false);
      return null;
    } catch (DevelopException e) {
      if (!Files.isRegularFile(manifest)) {
        throw e;
      }
      return e.code().equals("dbt_busy")
          ? "dbt is busy with another command; this is the lineage of the last parse"
          : "dbt parse failed, this is the lineage of the last successful parse: " + e.getMessage();
    }
  }

  /** The newest modification among the project's own files (not what dbt or git generate). */
  private Instant newestProjectFile(Path targetDir) {
    Path project = launcher.projectDir();
    Path packages = ProjectLayout.packagesDir(project, launcher.configuredEnv());
    Path logs = project.resolve("logs");
    Instant[] newest = {Instant.EPOCH};
    try {
      Files.walkFileTree(project, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          boolean generated = dir.equals(targetDir) || dir.equals(packages) || dir.equals(logs)
              || dir.getFileName().toString().equals(".git");
          if (generated) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          // A folder changes when a file in it is deleted or renamed, which no remaining file shows.
          note(attrs);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          note(attrs);
          return FileVisitResult.CONTINUE;
        }

        private void note(BasicFileAttributes attrs) {
          Instant at = attrs.lastModifiedTime().toInstant();
          if (at.isAfter(newest[0])) {
            newest[0] = at;
          }
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return newest[0];
  }

  private synchronized ManifestGraph load(Path manifest) {
    try {
      FileTime modified = Files.getLastModifiedTime(manifest);
      long size = Files.size(manifest);
      if (cached == null || !cached.file().equals(manifest) || !cached.modified().equals(modified) || cached.size() != size) {
        cached = new Cached(manifest, modified, size, ManifestGraph.of(JSON.readTree(manifest.toFile())));
      }
      return cached.graph();
    } catch (IOException e) {
      throw DevelopException.conflict("manifest_unreadable", "Cannot read " + manifest.getFileName() + ": " + e.getMessage()
          + ". Run dbt parse to write it again.");
    }
  }

  private static String focus(ManifestGraph graph, String model, String uniqueId) {
    if (uniqueId != null) {
      if (!graph.nodes.containsKey(uniqueId)) {
        throw DevelopException.notFound("node_not_found", "The manifest has no node " + uniqueId + ".");
      }
      return uniqueId;
    }
    if (model == null) {
      return null;
    }
    String name = DbtCompiler.nodeName(model, "model");
    // Prefer the project's own model over a package's node of the same name.
    return graph.nodes.values().stream()
        .filter(n -> n.name().equals(name) && DEFAULT_TYPES.contains(n.resourceType()))
        .sorted(Comparator.comparing((ManifestGraph.ManifestNode n) -> !n.resourceType().equals("model"))
            .thenComparing(n -> !String.valueOf(n.packageName()).equals(graph.projectName)))
        .map(ManifestGraph.ManifestNode::uniqueId)
        .findFirst()
        .orElseThrow(() -> DevelopException.notFound("model_not_found", "The project has no model named " + name + "."));
  }

  /** The nodes reachable from {@code start} in one direction, at most {@code depth} steps away. */
  private static Set<String> walk(ManifestGraph graph, String start, Function<String, List<String>> next,
      Set<String> types, Integer depth) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> frontier = new ArrayDeque<>(List.of(start));
    int level = 0;
    while (!frontier.isEmpty() && (depth == null || level < depth)) {
      Deque<String> following = new ArrayDeque<>();
      for (String id : frontier) {
        for (String neighbour : next.apply(id)) {
          if (graph.contains(neighbour, types) && !neighbour.equals(start) && seen.add(neighbour)) {
            following.add(neighbour);
          }
        }
      }
      frontier = following;
      level++;
    }
    return seen;
  }

  private Node node(ManifestGraph graph, ManifestGraph.ManifestNode n) {
    boolean own = n.packageName() != null && n.packageName().equals(graph.projectName) && n.path() != null;
    String path = !own ? null : projectPath.isEmpty() ? n.path() : projectPath + "/" + n.path();
    return new Node(n.uniqueId(), n.name(), n.resourceType(), n.packageName(), path);
  }

  private static Instant modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }
}
