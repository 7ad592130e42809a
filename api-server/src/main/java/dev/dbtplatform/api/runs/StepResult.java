package dev.dbtplatform.api.runs;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step of a run as history keeps it. Status is the DbtRun step status (Queued, Running,
 * Succeeded, Failed, Skipped, Cancelled); times are ISO-8601.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepResult(int index, String name, String command, String status, String startedAt, String finishedAt,
                         Integer exitCode) {}
