package dev.dbtplatform.embedded;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mock API's CRUD dispatcher, plus the one subresource it lacks that clients read:
 * {@code pods/{name}/log}, answered from a {@link PodLogs} with the real API's answers for a
 * missing pod, an unknown or unnamed container, and a container with no output yet.
 */
final class PodLogDispatcher extends IndexedCrudDispatcher {
  /**
   * The most of a container's output served, as the kubelet keeps it: it rotates a container's
   * log file at 10 MiB by default (containerLogMaxSize), and older output is no longer served.
   */
  static final long RETAINED_BYTES = 10L * 1024 * 1024;

  private static final String RULES_REVIEW_PATH = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

  private final PodLogs logs;

  PodLogDispatcher(PodLogs logs) {
    this.logs = logs;
  }

  /**
   * Access reviews, which the CRUD store would only echo: the stand-in is a cluster with one
   * all-powerful user, as a local cluster's admin is, so every rule is allowed. JOSDK's leader
   * election asks this before it takes a lease.
   */
  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    if (request.getPath() != null && request.getPath().startsWith(RULES_REVIEW_PATH)) {
      SelfSubjectRulesReview review = Serialization.unmarshal(request.getUtf8Body(), SelfSubjectRulesReview.class);
      review.setStatus(new SubjectRulesReviewStatusBuilder()
          .addNewResourceRule().withApiGroups("*").withResources("*").withVerbs("*").endResourceRule()
          .addNewNonResourceRule().withNonResourceURLs("*").withVerbs("*").endNonResourceRule()
          .withIncomplete(false)
          .build());
      return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
    }
    return super.handleCreate(request);
  }

  @Override
  public MockResponse handleGet(String path) {
    Optional<PodLogRequest> request;
    try {
      request = PodLogRequest.parse(path);
    } catch (IllegalArgumentException e) {
      return status(400, "BadRequest", e.getMessage());
    }
    return request.isPresent() ? serve(request.get()) : super.handleGet(path);
  }

  private MockResponse serve(PodLogRequest request) {
    MockResponse found = super.handleGet("/api/v1/namespaces/" + request.namespace() + "/pods/" + request.pod());
    if (found.code() != 200) {
      return status(404, "NotFound", "pods \"" + request.pod() + "\" not found");
    }
    Pod pod = Serialization.unmarshal(found.getBody().readUtf8(), Pod.class);
    List<String> containers = names(pod.getSpec().getContainers());
    List<String> all = new ArrayList<>(containers);
    all.addAll(names(pod.getSpec().getInitContainers()));
    String container = request.container();
    if (container == null) {
      if (containers.size() != 1) {
        return status(400, "BadRequest", "a container name must be specified for pod " + request.pod()
            + ", choose one of: " + containers);
      }
      container = containers.get(0);
    } else if (!all.contains(container)) {
      return status(400, "BadRequest", "container " + container + " is not valid for pod " + request.pod());
    }
    Optional<String> text;
    try {
      text = logs.read(request.namespace(), request.pod(), container, RETAINED_BYTES);
    } catch (RuntimeException e) {
      return status(500, "InternalError", "cannot read the log of container " + container + ": " + e.getMessage());
    }
    if (text.isEmpty()) {
      return status(400, "BadRequest", "container \"" + container + "\" in pod \"" + request.pod()
          + "\" is waiting to start: ContainerCreating");
    }
    return new MockResponse().setResponseCode(200)
        .setHeader("Content-Type", "text/plain")
        .setBody(request.select(text.get()));
  }

  private static List<String> names(List<Container> containers) {
    return containers == null ? List.of() : containers.stream().map(Container::getName).toList();
  }

  private static MockResponse status(int code, String reason, String message) {
    Status status = new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message)
        .withNewMetadata().endMetadata().build();
    return new MockResponse().setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(status));
  }
}
