package dev.dbtplatform.develop.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The nodes and dependencies of a manifest.json, as far as lineage needs them. */
final class ManifestGraph {
  /** The sections of the manifest that hold nodes, keyed by unique_id. */
  private static final List<String> SECTIONS = List.of("nodes", "sources", "exposures", "metrics", "semantic_models",
      "saved_queries", "unit_tests");

  /**
   * @param path the file that defines it, relative to its package's root
   */
  record ManifestNode(String uniqueId, String name, String resourceType, String packageName, String path) {}

  final String projectName;
  final Map<String, ManifestNode> nodes;
  final Map<String, List<String>> parents;
  final Map<String, List<String>> children;

  private ManifestGraph(String projectName, Map<String, ManifestNode> nodes, Map<String, List<String>> parents,
      Map<String, List<String>> children) {
    this.projectName = projectName;
    this.nodes = nodes;
    this.parents = parents;
    this.children = children;
  }

  static ManifestGraph of(JsonNode manifest) {
    Map<String, ManifestNode> nodes = new LinkedHashMap<>();
    for (String section : SECTIONS) {
      JsonNode entries = manifest.path(section);
      for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode n = e.getValue();
        nodes.put(e.getKey(), new ManifestNode(e.getKey(), n.path("name").asText(e.getKey()),
            n.path("resource_type").asText(section), n.path("package_name").asText(null),
            n.path("original_file_path").asText(null)));
      }
    }
    Map<String, List<String>> parents = links(manifest.path("parent_map"));
    Map<String, List<String>> children = links(manifest.path("child_map"));
    return new ManifestGraph(manifest.path("metadata").path("project_name").asText(null), nodes, parents, children);
  }

  List<String> parentsOf(String id) {
    return parents.getOrDefault(id, List.of());
  }

  List<String> childrenOf(String id) {
    return children.getOrDefault(id, List.of());
  }

  boolean contains(String id, Set<String> types) {
    ManifestNode node = nodes.get(id);
    return node != null && types.contains(node.resourceType());
  }

  private static Map<String, List<String>> links(JsonNode map) {
    Map<String, List<String>> links = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      List<String> ids = new ArrayList<>();
      e.getValue().forEach(id -> ids.add(id.asText()));
      links.put(e.getKey(), List.copyOf(ids));
    }
    return links;
  }
}
