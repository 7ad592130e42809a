package dev.dbtplatform.api.live;

import dev.dbtplatform.contract.StepStatus;
import java.time.Instant;

/**
 * A step as a run pod's log shows it so far.
 *
 * @param name null when the log holds only the step's end (it never ran, or its start is cut off)
 * @param startedAt null likewise
 * @param status Running until the log shows the step's end
 * @param log the step's lines that are kept, each ending with a line break; when older ones were
 *     dropped, a first line says how many
 */
record LoggedStep(int index, String name, Instant startedAt, Instant finishedAt, StepStatus status, Integer exitCode,
                  String log) {}
